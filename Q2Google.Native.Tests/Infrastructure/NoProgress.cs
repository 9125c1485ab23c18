using Q2Google.Upload;

namespace Q2Google.Tests.Infrastructure;

/// <summary>Progress nobody watches: for tests that run the upload engine in-process.</summary>
internal sealed class NoProgress : IUploadProgress
{
    public void Queued(long bytes) { }
    public void Started(string display) { }
    public void Sent(long bytes) { }
    public void Uploaded(string display) { }
    public void Finished(string display) { }
    public void WalkCompleted(int files) { }
    public void Clear() { }
}
