namespace Q2Google.Emulator;

/// <summary>
/// How the emulator behaves where Google's behaviour is unknown or where tests need a knob
/// (docs/protocol.md#emulator-options). The defaults are the strict reading of the protocol notes.
/// </summary>
internal sealed record EmulatorOptions
{
    /// <summary>The <c>sub</c> of the account the emulator plays unless told otherwise: 21 digits, like Google's.</summary>
    public const string DefaultAccountSub = "100000000000000000001";

    public const string DefaultAccountEmail = "emulated.user@example.com";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Where the emulator keeps its state and writes <c>client_secret.json</c>; null keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// The Google account that logs in at the consent page (unless <c>login_hint</c> names another e-mail) and owns
    /// the ready-made token: its stable <c>sub</c> keys everything the account owns.
    /// </summary>
    public string AccountSub { get; init; } = DefaultAccountSub;

    public string AccountEmail { get; init; } = DefaultAccountEmail;

    /// <summary>
    /// tokeninfo reports <c>sub</c> for an access token that carries no identity scope. Whether Google does is
    /// UNCONFIRMED, so clients must not rely on it; off by default.
    /// </summary>
    public bool TokenInfoSubWithoutIdentityScopes { get; init; }

    public long ChunkGranularity { get; init; } = 262144;

    /// <summary>Requests per project per day, uploads and every chunk included.</summary>
    public long DailyQuota { get; init; } = 10_000;

    /// <summary>An optional per-minute limit that answers 429 like Google's unpublished protective limits.</summary>
    public int? PerMinuteQuota { get; init; }

    /// <summary>Sent as <c>Retry-After</c> on 429s when set (whether Google sends it is UNCONFIRMED).</summary>
    public TimeSpan? RetryAfterOnRateLimit { get; init; }

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromSeconds(3599);

    /// <summary>Null: refresh tokens live until revoked. Seven days imitates an app in "Testing" status.</summary>
    public TimeSpan? RefreshTokenLifetime { get; init; }

    public TimeSpan AuthorizationCodeLifetime { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan UploadSessionLifetime { get; init; } = TimeSpan.FromDays(7);
    public TimeSpan UploadTokenLifetime { get; init; } = TimeSpan.FromDays(1);

    public int AlbumItemLimit { get; init; } = 20_000;

    /// <summary>A reused upload token fails that item (code 3), or the whole request with 400.</summary>
    public bool ReusedTokenFailsWholeRequest { get; init; }

    /// <summary>The status code for <c>upload</c>/<c>finalize</c> on a finalized session: 400 or 409.</summary>
    public int UploadAfterFinalStatus { get; init; } = 400;

    /// <summary>Answer a batchCreate with failed items with 207 instead of 200.</summary>
    public bool PartialBatchAs207 { get; init; }

    /// <summary>A body cut short commits whole granules received (true) or nothing of that chunk (false).</summary>
    public bool CommitPartialGranules { get; init; } = true;

    /// <summary>Require <c>X-Goog-Upload-Offset</c> even on a single <c>upload, finalize</c> at offset 0.</summary>
    public bool RequireOffsetOnSingleRequest { get; init; }

    /// <summary>401s on <c>/v1/uploads</c> use the bare gRPC body <c>{"code":16,…}</c> seen in the field.</summary>
    public bool BareUploadAuthErrors { get; init; } = true;

    /// <summary>
    /// The per-item status code batchGet gives an id it does not hold, a deleted one included: 3 (INVALID_ARGUMENT,
    /// <c>Invalid media item ID.</c>) by default, or 5 (NOT_FOUND). Google documents a per-item status but not its
    /// code, so which one it gives is UNCONFIRMED; verify must take either as "not in the library".
    /// </summary>
    public int BatchGetMissingItemCode { get; init; } = 3;

    /// <summary>batchGet fails as a whole with 400 when one id is unknown, instead of per item (UNCONFIRMED).</summary>
    public bool BatchGetRefusesUnknownIds { get; init; }

    /// <summary>Identical bytes map to the existing media item, which keeps its first file name (as Google does).</summary>
    public bool DeduplicateIdenticalBytes { get; init; } = true;

    /// <summary>The consent page denies instead of approving (<c>error=access_denied</c>).</summary>
    public bool DenyConsent { get; init; }

    /// <summary>Scopes the simulated user leaves ticked; null grants all requested.</summary>
    public IReadOnlyList<string>? GrantedScopesOverride { get; init; }

    /// <summary>Chaos: a batchCreate that overlaps another for the same user gets 500.</summary>
    public bool FailConcurrentBatchCreate { get; init; }

    /// <summary>Chaos: header names in lower case, as HTTP/2 sends them.</summary>
    public bool LowerCaseHeaderNames { get; init; }

    /// <summary>Chaos: chunk responses without <c>X-Goog-Upload-Size-Received</c>.</summary>
    public bool OmitSizeReceivedOnChunks { get; init; }

    /// <summary>Chaos: <c>expires_in</c> as a JSON string.</summary>
    public bool ExpiresInAsString { get; init; }

    /// <summary>Chaos: the probability that an API request gets a 500 or 503.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Chaos: the probability that a chunk upload is reset halfway through its body.</summary>
    public double ResetRate { get; init; }

    /// <summary>Chaos: the probability that an API request gets a per-minute 429.</summary>
    public double RateLimitRate { get; init; }

    public int? ChaosSeed { get; init; }

    /// <summary>Latency added to every Library API request, so tests (and users) can watch a run in slow motion.</summary>
    public TimeSpan ResponseDelay { get; init; }

    /// <summary>
    /// Latency of <c>mediaItems:batchCreate</c> in place of <see cref="ResponseDelay"/>. It passes while the call
    /// counts as in flight, so a call that overlaps it meets it (<see cref="FailConcurrentBatchCreate"/>): Google
    /// asks for one call at a time per user (docs/protocol.md#retries).
    /// </summary>
    public TimeSpan? BatchCreateDelay { get; init; }

    /// <summary>Latency of <c>/v1/uploads</c> requests (starts, chunks, raw uploads) in place of <see cref="ResponseDelay"/>.</summary>
    public TimeSpan? UploadDelay { get; init; }

    /// <summary>
    /// Bytes per second for all upload bodies together (raw uploads and chunks), like one home's uplink; null is
    /// no cap. Bodies are read that slowly, so the client is held back by TCP, not by a late answer.
    /// </summary>
    public long? UploadBandwidth { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
