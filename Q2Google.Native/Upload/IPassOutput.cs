namespace Q2Google.Upload;

/// <summary>Where one pass of a served job tells what it does: its files, its progress, its notes, and its end.</summary>
internal interface IPassOutput
{
    void Report(FileOutcome outcome);

    IUploadProgress Progress { get; }

    void Note(string message);

    /// <param name="completed">False when the pass was cut short by an error or Ctrl+C (it still says what it did).</param>
    void End(PassResult result, bool completed);
}
