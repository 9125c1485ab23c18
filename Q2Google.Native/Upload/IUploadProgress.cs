namespace Q2Google.Upload;

/// <summary>What the pipeline tells the progress display; every member is called from many threads.</summary>
internal interface IUploadProgress
{
    /// <summary>A file turned out to need its bytes sent.</summary>
    void Queued(long bytes);

    void Started(string display);

    void Sent(long bytes);

    /// <summary>A file's bytes are all up; its media item comes with the next batch.</summary>
    void Uploaded(string display);

    /// <summary>A file got its final status (any status).</summary>
    void Finished(string display);

    /// <summary>Every PATH has been walked: the totals are final.</summary>
    void WalkCompleted(int files);

    /// <summary>Removes a live status line before other stderr output.</summary>
    void Clear();
}
