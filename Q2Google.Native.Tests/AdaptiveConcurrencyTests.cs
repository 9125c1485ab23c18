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

    /// <summary>One window: as many completions as the limit, spread over <paramref name="seconds"/>, files waiting or not.</summary>
    private static int Window(AdaptiveConcurrency rule, ref TimeSpan now, double seconds, bool waited = true, long bytes = FileBytes)
    {
        var count = rule.Limit;
        if (waited) rule.Waited();
        var limit = rule.Limit;
        for (var i = 1; i <= count; i++) limit = rule.Completed(bytes, now + TimeSpan.FromSeconds(seconds * i / count));
        now += TimeSpan.FromSeconds(seconds);
        return limit;
    }

    [Test]
    public async Task SlowStart_DoublesWhileFilesWait_AsLongAsEachDoublingPays_UpToTheMost()
    {
        var now = TimeSpan.Zero;
        var rule = new AdaptiveConcurrency(4, 16, now);

        // Latency-bound: each file takes 0.3 s whatever the limit, so twice the files in flight is twice the bytes/s.
        var afterFirst = Window(rule, ref now, 0.3);
        var afterSecond = Window(rule, ref now, 0.3);
        var afterThird = Window(rule, ref now, 0.3);

        await Assert.That(afterFirst).IsEqualTo(8);
        await Assert.That(afterSecond).IsEqualTo(16);
        await Assert.That(afterThird).IsEqualTo(16);
    }

    [Test]
    public async Task ADoublingThatDoesNotPay_IsUndone_ThenOneMoreIsTriedAfterTheHold()
    {
        var now = TimeSpan.Zero;
        var rule = new AdaptiveConcurrency(4, 16, now);
        Window(rule, ref now, 0.3);

        // The line is full at 4: eight files in flight move the same bytes per second, each taking twice as long.
        var undone = Window(rule, ref now, 0.6);
        var held = new List<int>();
        for (var i = 0; i < AdaptiveConcurrency.HoldWindows - 1; i++) held.Add(Window(rule, ref now, 0.3));
        var probed = Window(rule, ref now, 0.3);
        // One more brought nothing either (five files, the same bytes per second): back to four.
        var afterProbe = Window(rule, ref now, 0.375);

        await Assert.That(undone).IsEqualTo(4);
        await Assert.That(held).All().Satisfy(l => l.IsEqualTo(4));
        await Assert.That(probed).IsEqualTo(5);
        await Assert.That(afterProbe).IsEqualTo(4);
    }

    [Test]
    public async Task NoFileWaiting_SaysNothingAboutTheLimit()
    {
        var now = TimeSpan.Zero;
        var rule = new AdaptiveConcurrency(4, 16, now);

        var limits = Enumerable.Range(0, 20).Select(_ => Window(rule, ref now, 0.3, waited: false)).ToList();

        await Assert.That(limits).All().Satisfy(l => l.IsEqualTo(4));
    }

    [Test]
    public async Task AWindowShorterThanTheMinimum_IsNotJudged()
    {
        var now = TimeSpan.Zero;
        var rule = new AdaptiveConcurrency(4, 16, now);

        var early = Window(rule, ref now, AdaptiveConcurrency.MinWindow.TotalSeconds / 2);
        var later = rule.Completed(FileBytes, AdaptiveConcurrency.MinWindow);

        await Assert.That(early).IsEqualTo(4);
        await Assert.That(later).IsEqualTo(8);
    }

    [Test]
    public async Task Congestion_HalvesOncePerWindow_EndsSlowStart_AndNeverGoesBelowOne()
    {
        var now = TimeSpan.Zero;
        var rule = new AdaptiveConcurrency(16, 16, now);

        var cut = rule.Congested(now);
        var sameWindow = rule.Congested(now + TimeSpan.FromMilliseconds(50));
        var grown = Window(rule, ref now, 0.3);
        var nextWindow = rule.Congested(now);
        Window(rule, ref now, 0.3);
        rule.Congested(now);
        Window(rule, ref now, 0.3);
        rule.Congested(now);
        Window(rule, ref now, 0.3);
        var floor = rule.Congested(now);

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
