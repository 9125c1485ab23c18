using System.Net;
using Microsoft.Extensions.Time.Testing;
using Q2Google.Api;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The adaptive concurrency rule, one decision at a time (<see cref="AdaptiveConcurrency"/>), and the slots that
/// apply it to the uploaders (<see cref="UploadSlots"/>).
/// </summary>
public class AdaptiveConcurrencyTests
{
    private const long FileBytes = 200 * 1024;

    /// <summary>The rule and its clock, moved on one window at a time.</summary>
    private sealed class Line(int start = 4, int max = 16)
    {
        public AdaptiveConcurrency Rule { get; } = new(start, max, TimeSpan.Zero);

        public TimeSpan Now { get; private set; }

        /// <summary>One window: as many completions as the limit, spread over <paramref name="seconds"/>, files waiting or not.</summary>
        public int Window(double seconds, bool waited = true)
        {
            var count = Rule.Limit;
            if (waited) Rule.Waited();
            var limit = Rule.Limit;
            for (var i = 1; i <= count; i++) limit = Rule.Completed(FileBytes, Now + TimeSpan.FromSeconds(seconds * i / count));
            Now += TimeSpan.FromSeconds(seconds);
            return limit;
        }

        public int Congested(double afterSeconds = 0) => Rule.Congested(Now + TimeSpan.FromSeconds(afterSeconds));
    }

    [Test]
    public async Task SlowStart_DoublesWhileFilesWait_AsLongAsEachDoublingPays_UpToTheMost()
    {
        var line = new Line();

        // Latency-bound: each file takes 0.3 s whatever the limit, so twice the files in flight is twice the bytes/s.
        var afterFirst = line.Window(0.3);
        var afterSecond = line.Window(0.3);
        var afterThird = line.Window(0.3);

        await Assert.That(afterFirst).IsEqualTo(8);
        await Assert.That(afterSecond).IsEqualTo(16);
        await Assert.That(afterThird).IsEqualTo(16);
    }

    [Test]
    public async Task ADoublingThatDoesNotPay_IsUndone_ThenOneMoreIsTriedAfterTheHold()
    {
        var line = new Line();
        line.Window(0.3);

        // The line is full at 4: eight files in flight move the same bytes per second, each taking twice as long.
        var undone = line.Window(0.6);
        var held = new List<int>();
        for (var i = 0; i < AdaptiveConcurrency.HoldWindows - 1; i++) held.Add(line.Window(0.3));
        var probed = line.Window(0.3);
        // One more brought nothing either (five files, the same bytes per second): back to four.
        var afterProbe = line.Window(0.375);

        await Assert.That(undone).IsEqualTo(4);
        await Assert.That(held).All().Satisfy(l => l.IsEqualTo(4));
        await Assert.That(probed).IsEqualTo(5);
        await Assert.That(afterProbe).IsEqualTo(4);
    }

    [Test]
    public async Task NoFileWaiting_SaysNothingAboutTheLimit()
    {
        var line = new Line();

        var limits = Enumerable.Range(0, 20).Select(_ => line.Window(0.3, waited: false)).ToList();

        await Assert.That(limits).All().Satisfy(l => l.IsEqualTo(4));
    }

    [Test]
    public async Task AWindowShorterThanTheMinimum_IsNotJudged()
    {
        var line = new Line();

        var early = line.Window(AdaptiveConcurrency.MinWindow.TotalSeconds / 2);
        var later = line.Rule.Completed(FileBytes, AdaptiveConcurrency.MinWindow);

        await Assert.That(early).IsEqualTo(4);
        await Assert.That(later).IsEqualTo(8);
    }

    [Test]
    public async Task Congestion_HalvesOncePerWindow_EndsSlowStart_AndNeverGoesBelowOne()
    {
        var line = new Line(start: 16);

        var cut = line.Congested();
        var sameWindow = line.Congested(afterSeconds: 0.05);
        var grown = line.Window(0.3);
        var nextWindow = line.Congested();
        line.Window(0.3);
        line.Congested();
        line.Window(0.3);
        line.Congested();
        line.Window(0.3);
        var floor = line.Congested();

        await Assert.That(cut).IsEqualTo(8);
        await Assert.That(sameWindow).IsEqualTo(8);
        // No slow start after congestion: a window in which files waited does not double the limit.
        await Assert.That(grown).IsEqualTo(8);
        await Assert.That(nextWindow).IsEqualTo(4);
        await Assert.That(floor).IsEqualTo(1);
    }

    [Test]
    public async Task TheStart_IsNeverAboveTheMost()
    {
        var rule = new AdaptiveConcurrency(4, 2, TimeSpan.Zero);

        await Assert.That(rule.Limit).IsEqualTo(2);
    }

    [Test]
    public async Task Slots_ALimitThatGoesDown_TakesSlotsBackAsFilesFinish_WithoutInterruptingThem()
    {
        using var slots = new UploadSlots(4, 4, new FakeTimeProvider());
        for (var i = 0; i < 4; i++) await slots.AcquireAsync(CancellationToken.None);

        slots.Failed(new GooglePhotosApiException(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "Internal error encountered.", "upload"));
        slots.Release();
        slots.Release();
        var waiting = slots.AcquireAsync(CancellationToken.None);
        var waitedWhileOwed = !waiting.IsCompleted;
        slots.Release();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(slots.Limit).IsEqualTo(2);
        await Assert.That(waitedWhileOwed).IsTrue();
    }

    [Test]
    public async Task Slots_OnlyRateLimitsServerErrorsAndDroppedConnections_AreCongestion()
    {
        using var slots = new UploadSlots(16, 16, new FakeTimeProvider());

        slots.Failed(new GooglePhotosApiException(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "Invalid offset", "upload") { UploadStatus = UploadStatus.Active });
        var afterBadOffset = slots.Limit;
        slots.Failed(new HttpRequestException("Connection reset by peer", new IOException("reset")));
        var afterReset = slots.Limit;

        await Assert.That(afterBadOffset).IsEqualTo(16);
        await Assert.That(afterReset).IsEqualTo(8);
    }
}
