namespace Q2Google.Upload;

/// <summary>What a served job tells the person or program watching it (the CLI turns it into text or NDJSON).</summary>
internal interface IServiceObserver
{
    /// <summary>A pass begins; <paramref name="whole"/>: it walks every PATH (not only what changed).</summary>
    IPassOutput BeginPass(bool whole);

    /// <summary>Nothing more can be sent before <paramref name="until"/>: Google's daily quota, or the daily request budget.</summary>
    void Waiting(DateTimeOffset until, bool quota);

    /// <summary>A pass failed in a way time may cure (the network, a login to renew): it is tried again at <paramref name="retryAt"/>.</summary>
    void Trouble(string message, DateTimeOffset retryAt);

    void Note(string message);
}
