using System.Text.Json;
using Q2Google.IO;

namespace Q2Google.Cli;

/// <summary>
/// Reads a jobs file (docs/cli.md#jobs-file): JSON with comments, <c>{"jobs": [ {...}, ... ]}</c>. It is strict: a key
/// it does not know, a value of the wrong kind, a PATH that does not exist or a profile with no login is one line
/// naming the file, the job and the key (exit 2), found before anything is uploaded.
/// </summary>
internal static class JobsFile
{
    private const long MaxBytes = 1 << 20;

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] JobKeys = ["name", "profile", "paths", "album", "albumPerFolder", "albumId", "include", "exclude", "description"];

    public static IReadOnlyList<JobSpec> Load(string path, CliSettings settings)
    {
        byte[] bytes;
        try
        {
            using var handle = PrivateFile.OpenReadIfExists(path)
                ?? throw new UsageException($"no jobs file at {path}: write one (see 'q2google run --help' and the README's \"Run it as a service\"), or name it with --config");
            var length = RandomAccess.GetLength(handle);
            if (length > MaxBytes) throw new UsageException($"{path}: {length} bytes is too large for a jobs file");
            bytes = new byte[length];
            RandomAccess.Read(handle, bytes, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafeFileException)
        {
            throw new UsageException($"cannot read the jobs file {path}: {e.Message}");
        }

        return Parse(bytes, path, settings);
    }

    public static IReadOnlyList<JobSpec> Parse(ReadOnlyMemory<byte> json, string path, CliSettings settings)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Problem(path, null, null, "must be an object with a \"jobs\" list");
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "jobs") throw Problem(path, null, property.Name, "is not a key of a jobs file (it has only \"jobs\")");
            }

            if (!root.TryGetProperty("jobs", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                throw Problem(path, null, "jobs", "must be a list of at least one job");
            }

            var jobs = new List<JobSpec>();
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                index++;
                var job = ReadJob(element, path, index, settings);
                if (jobs.Any(j => j.Name == job.Name)) throw Problem(path, job.Name, "name", "is used by an earlier job too: each job needs a name of its own");
                jobs.Add(job);
            }

            return jobs;
        }
    }

    private static JobSpec ReadJob(JsonElement element, string path, int index, CliSettings settings)
    {
        var label = $"#{index}";
        if (element.ValueKind != JsonValueKind.Object) throw Problem(path, label, null, "must be an object");
        if (element.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String) label = nameValue.GetString()!;
        foreach (var property in element.EnumerateObject())
        {
            if (!JobKeys.Contains(property.Name))
            {
                throw Problem(path, label, property.Name,
                    $"is not a job key (known: {string.Join(", ", JobKeys)}){Suggestion.DidYouMean(property.Name, JobKeys)}");
            }
        }

        var name = String(element, "name", path, label) ?? throw Problem(path, label, "name", "is missing: every job needs a name");
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw Problem(path, label, "name", "must be 1 to 64 letters, digits, '-' or '_' (it names the job's status file)");
        }

        var profile = String(element, "profile", path, name);
        if (profile is not null)
        {
            try
            {
                CliSettings.CheckProfile(profile, "profile");
            }
            catch (UsageException e)
            {
                throw Problem(path, name, "profile", e.Message);
            }

            if (!File.Exists(settings.ForProfile(profile).TokenPath))
            {
                throw Problem(path, name, "profile", $"'{profile}' has no login: run `q2google auth login --profile {profile}` first");
            }
        }

        var paths = Strings(element, "paths", path, name);
        if (paths.Count == 0) throw Problem(path, name, "paths", "must list at least one file or folder");
        foreach (var p in paths)
        {
            if (!Path.IsPathFullyQualified(p)) throw Problem(path, name, "paths", $"'{p}' must be an absolute path (a service has no working folder of its own)");
            if (!File.Exists(p) && !Directory.Exists(p)) throw Problem(path, name, "paths", $"'{p}' does not exist");
        }

        var albumPerFolder = element.TryGetProperty("albumPerFolder", out var perFolder) && (perFolder.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Problem(path, name, "albumPerFolder", "must be true or false"),
        });
        var job = new JobSpec
        {
            Name = name,
            Profile = profile,
            Paths = paths,
            Album = String(element, "album", path, name),
            AlbumPerFolder = albumPerFolder,
            AlbumId = String(element, "albumId", path, name),
            Description = String(element, "description", path, name),
            Include = Strings(element, "include", path, name),
            Exclude = Strings(element, "exclude", path, name),
        };
        if (UploadChoices.Problem(job.Album, job.AlbumId, job.AlbumPerFolder, job.Description, key => key) is { } problem)
        {
            throw Problem(path, name, null, problem);
        }

        return job;
    }

    private static string? String(JsonElement job, string key, string path, string label)
    {
        if (!job.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Problem(path, label, key, "must be a string");
    }

    /// <summary>A list of strings; one string alone is taken as a list of one.</summary>
    private static IReadOnlyList<string> Strings(JsonElement job, string key, string path, string label)
    {
        if (!job.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Problem(path, label, key, "must be a string or a list of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static UsageException Problem(string path, string? job, string? key, string what) =>
        new(TerminalText.Escape($"{path}: {(job is null ? "" : $"job {job}: ")}{(key is null ? "" : $"\"{key}\" ")}{what}"));
}
