using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Q2Google.Cli;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The emulator at the real limit (docs/protocol.md#emulator-options): one uplink every upload body shares, read
/// so slowly that TCP holds the client back, and a latency per endpoint. Durations are asserted from below only,
/// with room to spare: the machines are shared and noisy, and a slow one only makes a lower bound safer.
/// </summary>
public class EmulatorLatencyTests
{
    private const long Rate = 512 * 1024;

    [Test]
    public async Task Bandwidth_RawUpload_TakesAtLeastItsBytesOverTheRate()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { UploadBandwidth = Rate });
        var client = new GooglePhotosClient(harness.CreateApi(), retry: EmulatorHarness.FastRetry) { RawUploadLimit = 1 << 20 };
        var path = harness.Dir.File("a.jpg", 640 * 1024);

        var clock = Stopwatch.StartNew();
        var session = await client.UploadFilePathAsync("a.jpg", path);
        var took = clock.Elapsed;

        await Assert.That(session.UploadToken).IsNotNull();
        await Assert.That(harness.Emulator.Requests.Single(r => r.Path == "/v1/uploads").UploadCommand).IsNull();
        // 1.25 s at the rate; a fifth off for the burst the cap allows and a timer that fires early.
        await Assert.That(took).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.0));
    }

    [Test]
    public async Task Bandwidth_TwoResumableUploadsAtOnce_ShareTheOneRate()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { UploadBandwidth = Rate, ChunkGranularity = 64 * 1024 });
        var client = harness.CreateClient(multiplier: 2);
        var paths = new[] { harness.Dir.File("a.jpg", 384 * 1024, seed: 1), harness.Dir.File("b.jpg", 384 * 1024, seed: 2) };

        var clock = Stopwatch.StartNew();
        var sessions = await Task.WhenAll(paths.Select(p => client.UploadFilePathAsync(Path.GetFileName(p), p)));
        var took = clock.Elapsed;

        await Assert.That(sessions.All(s => s.UploadToken is not null)).IsTrue();
        // Three 128 KiB chunks per file; each file alone would take 0.75 s, both together 1.5 s.
        await Assert.That(harness.Emulator.Requests.Count(r => r.UploadCommand is not null && r.UploadCommand.Contains("upload", StringComparison.Ordinal))).IsEqualTo(6);
        await Assert.That(took).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.2));
    }

    [Test]
    public async Task Bandwidth_AFastClient_IsHeldBackByTcp_NotAnsweredLate()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { UploadBandwidth = 64 * 1024 });
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        const long declared = 256L << 20;
        using var socket = new TcpClient { SendBufferSize = 64 * 1024 };
        await socket.ConnectAsync(harness.Emulator.BaseUrl.Host, harness.Emulator.BaseUrl.Port);
        var stream = socket.GetStream();
        var head = $"POST /v1/uploads HTTP/1.1\r\nHost: {harness.Emulator.BaseUrl.Authority}\r\nAuthorization: Bearer {token}\r\n"
                   + $"X-Goog-Upload-Protocol: raw\r\nX-Goog-Upload-Content-Type: video/mp4\r\nContent-Length: {declared}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        // Writes complete only as fast as the server reads (plus what the kernel buffers on both sides); a server
        // that read at full speed and only answered late would take all 256 MiB within the second.
        var pushed = 0L;
        var block = new byte[64 * 1024];
        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            while (pushed < declared)
            {
                await stream.WriteAsync(block, second.Token);
                pushed += block.Length;
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Assert.That(pushed).IsLessThan(32L << 20);
    }

    [Test]
    public async Task BatchCreateLatency_PassesWhileTheCallIsInFlight_SoAnOverlappingCallMeetsIt()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            BatchCreateDelay = TimeSpan.FromMilliseconds(300), FailConcurrentBatchCreate = true,
        });
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var client = harness.CreateClient();
        var uploads = new[] { "a.jpg", "b.jpg" }.Select((n, i) => client.UploadFilePathAsync(n, harness.Dir.File(n, 1000, seed: i + 1)));
        var tokens = (await Task.WhenAll(uploads)).Select(s => s.UploadToken!).ToList();
        using var http = new HttpClient();
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Emulator.RequestArrived = (path, _) =>
        {
            if (path.EndsWith("batchCreate", StringComparison.Ordinal)) firstArrived.TrySetResult();
        };

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(tokens.Select(async (uploadToken, i) =>
        {
            // The second call leaves once the first has arrived and is surely in flight, however loaded the machine.
            if (i == 1)
            {
                await firstArrived.Task;
                await Task.Delay(50);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl.AbsoluteUri + "mediaItems:batchCreate"))
            {
                Content = new StringContent($$$"""{"newMediaItems":[{"simpleMediaItem":{"uploadToken":"{{{uploadToken}}}"}}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await http.SendAsync(request);
            return answer.StatusCode;
        }));
        var took = clock.Elapsed;

        await Assert.That(answers[0]).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(answers[1]).IsEqualTo(HttpStatusCode.InternalServerError);
        // A timer may fire a little before a stopwatch says its time is up (0.2997 s was seen); the point is that it waited the latency.
        await Assert.That(took).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(1);
    }

    [Test]
    public async Task BatchCreateLatency_HoldsOnlyBatchCreate_UploadsAndListingGoOnWhileTheClockStandsStill()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { Time = clock, BatchCreateDelay = TimeSpan.FromHours(1) });
        var api = harness.CreateApi(time: clock);
        var client = harness.CreateClient(api);
        var arrived = new TaskCompletionSource();
        harness.Emulator.RequestArrived = (path, _) => { if (path.EndsWith(":batchCreate", StringComparison.Ordinal)) arrived.TrySetResult(); };

        var session = await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 1000));
        var create = client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var albums = await api.ListAlbumsAsync(null);
        await Task.Delay(100);
        var waitedForTheClock = !create.IsCompleted;
        clock.Advance(TimeSpan.FromHours(1));
        var created = await create.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(albums.Albums ?? []).IsEmpty();
        await Assert.That(waitedForTheClock).IsTrue();
        await Assert.That(created[0].NewMediaItemResults!.Single().Status!.IsOk).IsTrue();
    }

    [Test]
    public async Task EndpointLatency_ReplacesTheGeneralOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            Time = clock, ResponseDelay = TimeSpan.FromHours(1), UploadDelay = TimeSpan.Zero, BatchCreateDelay = TimeSpan.Zero,
        });
        var client = harness.CreateClient(harness.CreateApi(time: clock));

        // With the clock standing still, an hour of general latency would never pass.
        var session = await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 1000)).WaitAsync(TimeSpan.FromSeconds(30));
        var created = await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]).WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(created[0].NewMediaItemResults!.Single().Status!.IsOk).IsTrue();
    }

    [Test]
    public async Task DurationText_ReadsMillisecondsAndSeconds_ABareNumberIsMilliseconds()
    {
        var read = new[] { "300", "1500ms", "2s", "0.25S", " 0 " }.Select(text => DurationText.Parse(text, "--latency").TotalMilliseconds).ToList();

        await Assert.That(read).IsEquivalentTo(new[] { 300.0, 1500, 2000, 250, 0 });
    }
}
