using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>
/// Every command, option and environment setting of q2google, declared once. The command-line check
/// (<see cref="CommandLine"/>), the settings (<see cref="CliSettings"/>: option, else environment variable,
/// else default) and the help (<see cref="HelpText"/>) are all read from here. ConsoleAppFramework still binds
/// the command methods' parameters itself (it is a source generator); <c>HelpTests</c> fails when those and
/// this table drift apart.
/// </summary>
internal static class OptionTable
{
    public static readonly OptionSpec ApiUrl = new("--api-url", "URL", "Library API base URL.")
    {
        Default = "https://photoslibrary.googleapis.com", Environment = "Q2GOOGLE_API_URL",
    };

    public static readonly OptionSpec Token = new("--token", "FILE", "Token file: the saved login.")
    {
        Default = "CONFIG_DIR/token.json", Environment = "Q2GOOGLE_TOKEN_FILE",
    };

    public static readonly OptionSpec ConfigDir = new("--config-dir", "DIR", "Config directory ($XDG_CONFIG_HOME/q2google when that is set).")
    {
        Default = "~/.config/q2google", Environment = "Q2GOOGLE_CONFIG_DIR",
    };

    public static readonly OptionSpec ClientSecrets = new("--client-secrets", "FILE", "Google's OAuth client file (\"Desktop app\" JSON).")
    {
        Default = "CONFIG_DIR/client_secret.json", Environment = "Q2GOOGLE_CLIENT_SECRETS",
    };

    public static readonly OptionSpec StateDir = new("--state-dir", "DIR", "Upload journal directory ($XDG_STATE_HOME/q2google when that is set).")
    {
        Default = "~/.local/state/q2google", Environment = "Q2GOOGLE_STATE_DIR",
    };

    public static readonly OptionSpec CaBundle = new("--ca-bundle", "FILE", "Trust only the PEM certificates in this file for HTTPS.")
    {
        Default = "the system's, or SSL_CERT_FILE", Environment = "Q2GOOGLE_CA_BUNDLE",
    };

    public static readonly OptionSpec Quiet = new("--quiet", null, "Print only errors and the summary.") { Short = "-q" };

    public static readonly OptionSpec Profile = new("--profile", "NAME",
        "Use the login of this profile (one per person): its token is CONFIG_DIR/profiles/NAME/token.json, its journal follows its account.")
    {
        Default = "none: CONFIG_DIR/token.json", Environment = "Q2GOOGLE_PROFILE",
    };

    /// <summary>Options every command takes, before or after its name.</summary>
    public static readonly IReadOnlyList<OptionSpec> Global = [ApiUrl, Token, ConfigDir, ClientSecrets, StateDir, CaBundle, Profile, Quiet];

    public static readonly EnvironmentSetting TokenJson = new(InMemoryTokenStore.EnvironmentVariable,
        "A whole login (what 'auth export' prints), for CI: used instead of the token file, kept in memory, never written to disk.");

    public static readonly EnvironmentSetting AlbumItemLimit = new("Q2GOOGLE_ALBUM_ITEM_LIMIT",
        "Items per album before 'upload --album TITLE' continues in \"TITLE (2)\" (1 to 20000). A small number tries "
        + "that roll-over against an emulator started with the same 'emulator --album-limit N'.")
    {
        Default = "20000",
    };

    public static readonly EnvironmentSetting MaxWatches = new("Q2GOOGLE_MAX_WATCHES",
        "Folders '--watch' watches at most (0: as many as the kernel allows); a small number tries the rescan that takes over beyond it.")
    {
        Default = "0",
    };

    /// <summary>Settings that only the environment gives (no option stands for them).</summary>
    public static readonly IReadOnlyList<EnvironmentSetting> EnvironmentSettings = [TokenJson, AlbumItemLimit, MaxWatches];

    public static readonly IReadOnlyList<GroupSpec> Groups =
    [
        new("albums", "The albums this app created."),
        new("media", "The media items this app uploaded."),
        new("auth", "The login: make it, check it, copy it to another machine, remove it."),
    ];

    // Declared before the commands that share them: static fields are set in the order they are written.
    private static readonly OptionSpec Settle =
        Value("--settle", "DURATION", "With --watch: upload a changed file once it has been left alone this long (e.g. 10s, 2m).", "10s");

    private static readonly OptionSpec Rescan =
        Value("--rescan", "DURATION", "With --watch: walk a PATH whose changes cannot be watched (NFS, SMB, FUSE, too many folders) this often.", "15m");

    public static readonly IReadOnlyList<CommandSpec> Commands =
    [
        new("upload", "Upload files and folders (recursively) to your Google Photos library, resuming where any earlier run stopped.",
        [
            Value("--album", "TITLE", "Add everything to the app-created album with this title (created once, reused later)."),
            Value("--album-id", "ID", "Add everything to this existing app-created album."),
            Flag("--album-per-folder", "One album per folder, titled by its path below the PATH given."),
            Value("--description", "TEXT", "Description for every new item (shorter than 1000 characters)."),
            Value("--include", "GLOB", "Only files matching this glob, relative to each PATH.") with { Repeatable = true },
            Value("--exclude", "GLOB", "Leave out files matching this glob, relative to each PATH.") with { Repeatable = true },
            Value("--concurrency", "N", "Most parallel byte uploads (1 to 32): a run starts with 4 and adds more while they pay; media items are still created one batch at a time.", "16"),
            Value("--chunk-size", "SIZE", "Resumable chunk size, e.g. 256K or 16M (rounded up to the server's granularity); without it, chunks start at 16M and grow to take about 4 s each.", "16M"),
            Value("--max-requests", "N", "Stop cleanly after this many API requests (0: no limit); per quota day with --watch or --wait-for-quota.", "0"),
            Flag("--dry-run", "Scan, classify and plan (counts, bytes, estimated API requests); send nothing."),
            Flag("--force", "Upload again even if the journal says a file is already uploaded."),
            Flag("--emulator", "Practice run: upload to a throw-away emulator in this process; your login and journal are not touched."),
            Flag("--watch", "After the first pass keep running: upload what appears or changes, wait out the daily quota, retry after failures."),
            Flag("--wait-for-quota", "When Google's daily quota (or --max-requests) runs out, wait for midnight in Los Angeles and go on."),
            Settle,
            Rescan,
            Flag("--json", "Print NDJSON on stdout: one object per file, then a summary."),
        ])
        {
            Argument = new("PATH", "Files and folders to upload.", 1, int.MaxValue),
        },
        new("run", "Serve the jobs of a jobs file (CONFIG_DIR/jobs.json): each job's PATHs to its profile's library, one quota per OAuth client.",
        [
            Value("--config", "FILE", "The jobs file.", "CONFIG_DIR/jobs.json"),
            Flag("--watch", "Keep serving every job: upload what appears or changes, wait out the daily quota, retry after failures."),
            Value("--max-requests", "N", "API requests each OAuth client may use (per quota day with --watch), shared fairly by its busy jobs (0: what Google allows).", "0"),
            Settle,
            Rescan,
            Flag("--dry-run", "Check the jobs file and show each job's plan; send nothing."),
            Flag("--json", "Print NDJSON on stdout, each record with its job."),
        ]),
        new("status", "Show what the upload journal knows (uploaded, pending, failed, albums) and how each upload or job served last.",
        [
            Flag("--health", "Exit 0 when each job a run serves showed it is alive recently and its login works (with none served: each last pass is recent), else 1 with one line why."),
            Value("--max-age", "DURATION", "With --health: how long ago a served job's last sign of life (or, from cron, the last pass) may be.", "1h"),
            Flag("--json", "Print it as one JSON object."),
        ]),
        new("verify", "Ask Google whether every item the journal says was uploaded is still there (50 per request), and list what is missing.",
        [
            Value("--sample", "PERCENT", "Check a random share of the items, e.g. 5 (and extrapolate the missing count)."),
            Flag("--repair", "Mark missing items as not uploaded, so the next upload sends their files again."),
            Value("--max-requests", "N", "Stop cleanly after this many API requests (0: no limit).", "0"),
            Flag("--json", "Print NDJSON on stdout: one object per missing item, then a summary."),
        ])
        {
            Argument = new("PATH", "Only the items uploaded from these files and folders (default: the whole library).", 0, int.MaxValue),
        },
        new("albums list", "List the albums this app created (Google shows apps only their own since March 2025).",
        [
            Flag("--json", "One JSON object per album."),
        ]),
        new("albums create", "Create an app album (upload --album does this by itself).",
        [
            Flag("--allow-duplicate", "Create it even if this app already has an album with this title."),
            Flag("--json", "Print Google's JSON for the album."),
        ])
        {
            Argument = new("TITLE", "The album's title (at most 500 characters).", 1, 1),
        },
        new("media get", "Show one media item this app uploaded.",
        [
            Flag("--json", "Print Google's JSON for the item."),
        ])
        {
            Argument = new("ID", "The media item id.", 1, 1),
        },
        new("media list", "List the media items this app uploaded, or those in one of its albums.",
        [
            Value("--album-id", "ID", "Only the items in this app-created album."),
            Flag("--json", "One JSON object per media item."),
        ]),
        new("auth login", "Log in to Google Photos in a browser (on this machine or any other) and save the token.",
        [
            Value("--scopes", "LIST", "Comma list of permissions: append (upload), read (see what this app uploaded), edit (change app-made albums).",
                "append,read"),
            Flag("--no-browser", "Do not try to open a browser; print the URL to open elsewhere."),
            Value("--port", "N", "Loopback port for Google's redirect (0: a free one).", "0"),
            Value("--timeout", "SECONDS", "Seconds to wait for the browser or a pasted answer.", "300"),
        ]),
        new("auth status", "Show which login is in use and whether it works.",
        [
            Flag("--check", "Refresh the access token once, to prove the login still works."),
            Flag("--json", "Print the status as JSON."),
        ]),
        new("auth logout", "Remove the saved login.",
        [
            Flag("--revoke", "Also revoke the login at Google first, so the token stops working everywhere."),
        ]),
        new("auth export", "Print the saved login as JSON on stdout, to store as a CI secret or pipe into 'auth import -' on another machine.", []),
        new("auth import", "Check and store a login exported elsewhere (a file, or - for standard input).", [])
        {
            Argument = new("FILE", "The exported token JSON, or - to read standard input.", 1, 1),
        },
        new("emulator", "Run a local, strict emulator of the Photos Library API and Google's OAuth endpoints on 127.0.0.1.",
        [
            Value("--port", "N", "Port to listen on (0: a free one).", "0"),
            Value("--data-dir", "DIR", "Where the emulator keeps its state and writes client_secret.json and token.json.", "STATE_DIR/emulator"),
            Flag("--in-memory", "Keep the library in memory only (for millions of items); client_secret.json and token.json still go to --data-dir."),
            Value("--granularity", "BYTES", "X-Goog-Upload-Chunk-Granularity.", "262144"),
            Value("--daily-quota", "N", "Requests per day before 429 RESOURCE_EXHAUSTED.", "10000"),
            Value("--per-minute-quota", "N", "Requests per minute before a 429 (0: no limit).", "0"),
            Value("--retry-after", "SECONDS", "Retry-After to put on 429s (0: none).", "0"),
            Value("--access-token-lifetime", "SECONDS", "Access token lifetime.", "3599"),
            Value("--refresh-token-lifetime", "SECONDS", "Refresh token lifetime (0: until revoked; 604800 imitates an app in \"Testing\").", "0"),
            Value("--album-limit", "N", "Media items per album (see Q2GOOGLE_ALBUM_ITEM_LIMIT in 'q2google --help').", "20000"),
            Value("--fail-rate", "P", "Probability of a 500/503 per API request.", "0"),
            Value("--reset-rate", "P", "Probability of a connection reset in the middle of an upload chunk.", "0"),
            Value("--rate-limit-rate", "P", "Probability of a per-minute 429 per API request.", "0"),
            Value("--seed", "N", "Seed for the random faults (0: random).", "0"),
            Flag("--deny-consent", "The consent page denies access instead of granting it."),
            Flag("--lower-case-headers", "Send header names in lower case, as HTTP/2 does."),
            Flag("--omit-size-received", "Leave X-Goog-Upload-Size-Received out of chunk responses."),
            Value("--tls-cert", "FILE", "Serve HTTPS with this PEM certificate (needs --tls-key)."),
            Value("--tls-key", "FILE", "The PEM private key of --tls-cert."),
            Value("--host-name", "NAME", "Host name to put in the URLs the emulator hands out.", "127.0.0.1"),
            Value("--latency", "DURATION", "Added to every API request (milliseconds, or e.g. 300ms, 2s), to watch an upload (or interrupt it) in slow motion.", "0"),
            Value("--latency-upload", "DURATION", "Latency of each upload request (start, chunk, raw upload) instead of --latency.", "--latency"),
            Value("--latency-batch-create", "DURATION", "Latency of each mediaItems:batchCreate instead of --latency, while the call is in flight.",
                "--latency"),
            Value("--bandwidth", "RATE", "Bytes per second all upload bodies share, like one home's uplink, e.g. 512K or 20M (binary units; 0: no cap).", "0"),
            Value("--account-email", "EMAIL", "E-mail address of the Google account the emulator plays: the consent page logs it in and token.json belongs to it.",
                "emulated.user@example.com"),
            Value("--account-sub", "SUB", "That account's stable id, the \"sub\" of its id_token (100000000000000000001 for the default account).",
                "derived from --account-email"),
        ]),
    ];

    /// <summary>The command whose words <paramref name="args"/> start with (the longest such), or null.</summary>
    public static CommandSpec? FindCommand(IReadOnlyList<string> args) => Commands
        .Where(c => c.Words is var words && words.Length <= args.Count && words.SequenceEqual(args.Take(words.Length)))
        .MaxBy(c => c.Words.Length);

    public static GroupSpec? FindGroup(string word) => Groups.FirstOrDefault(g => g.Name == word);

    public static IEnumerable<CommandSpec> InGroup(string group) => Commands.Where(c => c.Group == group);

    private static OptionSpec Flag(string name, string help) => new(name, null, help);

    private static OptionSpec Value(string name, string value, string help, string? @default = null) => new(name, value, help) { Default = @default };
}
