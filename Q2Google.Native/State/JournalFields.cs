namespace Q2Google.State;

/// <summary>
/// The field names of a journal line, one per property of <see cref="JournalRecord"/> and named after it: the
/// only place they are spelled, for <see cref="JournalRecordWriter"/> and <see cref="JournalRecordParser"/>.
/// Short, because a 150,000-file journal is read at every start; journals on users' disks hold these names, so
/// never change one. A new property of JournalRecord needs its name here, its line in the writer (with the
/// name's JsonEncodedText) and its line in the parser (with the name's key): JournalSchemaTests fails until all are there.
/// </summary>
internal static class JournalFields
{
    public const string Kind = "k";
    public const string Hash = "h";
    public const string Path = "p";
    public const string Size = "s";
    public const string Modified = "m";
    public const string Quick = "q";
    public const string SessionUrl = "u";
    public const string Granularity = "g";
    public const string Offset = "o";
    public const string Token = "t";
    public const string Id = "id";
    public const string ProductUrl = "url";
    public const string Album = "a";
    public const string Albums = "as";
    public const string Title = "title";
    public const string Name = "n";
    public const string Reason = "r";
    public const string At = "at";
    public const string SessionAt = "uat";
    public const string TokenAt = "tat";
    public const string Count = "c";
    public const string Full = "full";
    public const string Version = "v";
    public const string Generation = "gen";
}
