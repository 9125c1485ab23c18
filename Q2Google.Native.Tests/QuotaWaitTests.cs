using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// Waiting out Google's daily quota: midnight in Los Angeles without a time-zone database, the wait said and kept
/// in the status file, and the upload going on by itself once the emulator's quota day (on the same controllable
/// clock) has turned; the daily budget of jobs sharing one OAuth client, shared fairly.
/// </summary>
public class QuotaWaitTests
{
    [Test]
    [Arguments("2026-12-01T07:30:00Z", "2026-12-01T08:00:00Z")] // 23:30 PST on 30 November
    [Arguments("2026-07-04T06:59:00Z", "2026-07-04T07:00:00Z")] // 23:59 PDT on 3 July
    [Arguments("2026-03-08T09:59:00Z", "2026-03-09T07:00:00Z")] // 01:59 PST on the day daylight time starts: the next midnight is PDT
    [Arguments("2026-11-01T08:30:00Z", "2026-11-02T08:00:00Z")] // 01:30 PDT on the day it ends: the next midnight is PST
    [Arguments("2026-11-01T09:30:00Z", "2026-11-02T08:00:00Z")] // 01:30 PST, the hour that comes twice
    public async Task TheQuotaDay_EndsAtMidnightInLosAngeles_InEverySeason(string now, string reset)
    {
        var instant = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        await Assert.That(QuotaDay.NextReset(instant)).IsEqualTo(DateTimeOffset.Parse(reset, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task AOneShotRun_WaitsForTheQuotaDay_SaysUntilWhen_AndFinishesByItself()
    {
        // 23:00 PST: an hour of the quota day left. The emulator counts its quota on the same clock.
        var clock = new ShiftedClock(DateTimeOffset.Parse("2026-12-01T07:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { DailyQuota = 6, Time = clock });
        var files = Enumerable.Range(1, 6).Select(i => harness.Dir.File($"pics/{i}.jpg", 20_000, seed: i)).ToList();
        var api = harness.CreateApi(time: clock);
        var quota = new SharedQuota("test-client", 0, clock);
        api.Gate = quota.For("upload");
        using var journal = Journal.Open(Directory.CreateDirectory(harness.Dir.Combine("state")).FullName, clock);
        // Each file's bytes in one request: the day's six go on six files, and their media items wait for the next day.
        var client = new GooglePhotosClient(api, retry: EmulatorHarness.FastRetry) { RawUploadLimit = 1 << 20 };
        var job = new UploadJob("upload", "test library", [harness.Dir.Combine("pics")], new UploadOptions(), api, client, journal, quota);
        var observer = new RecordingObserver();
        var statusFiles = new ServiceStatusFiles(harness.Dir.Combine("state"));
        var service = new UploadService(job, new ServiceOptions { WaitForQuota = true, ClockCheck = TimeSpan.FromMilliseconds(50) }, observer, statusFiles, clock);

        var running = service.RunAsync(CancellationToken.None);
        var waits = new List<(DateTimeOffset Until, bool Quota, DateTimeOffset? StatusSays)>();
        var itemsWhileWaiting = new List<int>();
        // Each time it waits: check what it says, then move the clock to the moment it waits for.
        while (waits.Count < 3)
        {
            var waited = observer.NextWait();
            if (await Task.WhenAny(running, waited, Task.Delay(TimeSpan.FromSeconds(60))) == running) break;
            if (!waited.IsCompleted) throw new TimeoutException("neither waited nor ended: " + string.Join(" | ", observer.Log));
            var (until, byQuota) = await waited;
            waits.Add((until, byQuota, statusFiles.ReadAll().Single().WaitingUntil));
            itemsWhileWaiting.Add(harness.Emulator.MediaItems.Count);
            clock.Shift(until - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        if (!running.IsCompleted) throw new TimeoutException($"still not done after {waits.Count} waits: " + string.Join(" | ", observer.Log));
        await running;
        var after = statusFiles.ReadAll().Single();

        // Midnight PST is 08:00 UTC; the wait goes 5 minutes past it, as when exactly Google resets is not known.
        await Assert.That(waits.Count).IsEqualTo(1).Because(string.Join(" | ", observer.Log));
        await Assert.That(waits[0].Until).IsEqualTo(DateTimeOffset.Parse("2026-12-01T08:05:00Z", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var wait in waits)
        {
            await Assert.That(wait.Quota).IsTrue();
            await Assert.That(wait.StatusSays).IsEqualTo(wait.Until).Because("status says until when it waits");
        }

        await Assert.That(itemsWhileWaiting[0]).IsLessThan(6);
        await Assert.That(observer.Passes).IsEqualTo(waits.Count + 1);
        foreach (var file in files) await Assert.That(harness.ItemsWithContentOf(file).Count).IsEqualTo(1).Because(file);
        await Assert.That(after.WaitingUntil).IsNull();
        await Assert.That(service.LastPass!.StopReason).IsNull();
    }

    [Test]
    public async Task JobsOfOneClient_ShareTheDaysBudget_Fairly_AndAnIdleJobLeavesItsShare()
    {
        var clock = new ShiftedClock(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var quota = new SharedQuota("client", 10, clock);
        var anna = quota.For("anna");
        var ben = quota.For("ben");
        quota.SetBusy("anna", true);
        quota.SetBusy("ben", true);

        var annaTook = TakeAll(anna);
        quota.SetBusy("ben", false);
        var annaMore = TakeAll(anna);
        quota.SetBusy("anna", false);
        clock.Shift(TimeSpan.FromDays(1));
        var benNextDay = TakeAll(ben);

        await Assert.That(annaTook).IsEqualTo(5).Because("two busy jobs: half each");
        await Assert.That(annaMore).IsEqualTo(5).Because("ben went idle: his share is anna's");
        await Assert.That(benNextDay).IsEqualTo(10).Because("a new quota day, and no other job needs a share");
    }

    [Test]
    public async Task AOneShotRunsBudget_IsForTheWholeRun_EvenAcrossMidnightInLosAngeles()
    {
        var clock = new ShiftedClock(DateTimeOffset.Parse("2026-12-01T07:59:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var oneShot = new SharedQuota("client", 3, clock, daily: false);
        var serving = new SharedQuota("client", 3, clock);
        var (once, day) = (oneShot.For("upload"), serving.For("upload"));

        var before = (TakeAll(once), TakeAll(day));
        clock.Shift(TimeSpan.FromMinutes(2));

        await Assert.That(before).IsEqualTo((3, 3));
        await Assert.That(TakeAll(once)).IsEqualTo(0).Because("--max-requests 3 means 3 for the run");
        await Assert.That(TakeAll(day)).IsEqualTo(3).Because("a run that waits gets its budget back each quota day");
    }

    [Test]
    public async Task GooglesQuotaTellingOneJob_StopsEveryJobOfTheClient_UntilTheReset()
    {
        var clock = new ShiftedClock(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var quota = new SharedQuota("client", 0, clock);
        var ben = quota.For("ben");
        quota.Close(QuotaDay.NextReset(clock.GetUtcNow()));

        var refused = Assert.Throws<RequestBudgetExhaustedException>(ben.Take);
        clock.Shift(TimeSpan.FromDays(1));
        ben.Take();

        await Assert.That(refused!.Message).Contains("daily quota of OAuth client client is used up");
    }

    private static int TakeAll(IRequestGate gate)
    {
        var taken = 0;
        try
        {
            while (taken < 100)
            {
                gate.Take();
                taken++;
            }
        }
        catch (RequestBudgetExhaustedException)
        {
        }

        return taken;
    }

    /// <summary>The system clock and its timers, seen from a moment the test chooses and can move forward at will.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private long _offsetTicks = (start - DateTimeOffset.UtcNow).Ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    private sealed class RecordingObserver : IServiceObserver
    {
        private int _passes;

        private TaskCompletionSource<(DateTimeOffset Until, bool Quota)> _waited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The next time the service says it waits (asked before that can happen).</summary>
        public Task<(DateTimeOffset Until, bool Quota)> NextWait() => Volatile.Read(ref _waited).Task;

        public int Passes => _passes;

        /// <summary>What the service said, for a failure's message.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

        public IPassOutput BeginPass(bool whole)
        {
            Interlocked.Increment(ref _passes);
            return new SilentPass(Log);
        }

        public void Waiting(DateTimeOffset until, bool quota) =>
            Interlocked.Exchange(ref _waited, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult((until, quota));

        public void Trouble(string message, DateTimeOffset retryAt) => throw new InvalidOperationException(message);

        public void Note(string message)
        {
        }
    }

    private sealed class SilentPass(System.Collections.Concurrent.ConcurrentQueue<string> log) : IPassOutput
    {
        public IUploadProgress Progress { get; } = new NoProgress();

        public void Report(FileOutcome outcome) => log.Enqueue($"{outcome.Path}: {outcome.Status} {outcome.Reason}");

        public void Note(string message) => log.Enqueue(message);

        public void End(PassResult result, bool completed) => log.Enqueue($"end ({completed}): {result}");
    }
}
