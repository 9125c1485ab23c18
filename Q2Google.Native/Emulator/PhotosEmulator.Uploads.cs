using System.Globalization;
using System.Security.Cryptography;
using Q2Google.Http;

namespace Q2Google.Emulator;

// The upload endpoint: resumable start, session commands, and raw uploads (docs/protocol.md#resumable-upload, #raw-upload and #emulator-checks).
internal sealed partial class PhotosEmulator
{
    private Task<HttpResponse> HandleUploadAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (request.QueryValue("upload_id") is { } sessionId) return HandleSessionAsync(exchange, sessionId, grant, cancellationToken);

        return request.Header(UploadProtocol.Protocol)?.Trim().ToLowerInvariant() switch
        {
            "resumable" => HandleStartAsync(exchange, grant, cancellationToken),
            "raw" => HandleRawAsync(exchange, grant, cancellationToken),
            _ => Task.FromResult(BadUpload("X-Goog-Upload-Protocol must be 'resumable' or 'raw'.")),
        };
    }

    private async Task<HttpResponse> HandleStartAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (!string.Equals(request.Header(UploadProtocol.Command)?.Trim(), "start", StringComparison.OrdinalIgnoreCase))
        {
            return BadUpload("A new resumable upload needs X-Goog-Upload-Command: start.");
        }

        if (!await exchange.Body.IsEmptyAsync(cancellationToken).ConfigureAwait(false)) return BadUpload("The start request must have an empty body.");

        if (!long.TryParse(request.Header(UploadProtocol.RawSize), NumberStyles.None, CultureInfo.InvariantCulture, out var rawSize))
        {
            return BadUpload("X-Goog-Upload-Raw-Size must be present and a non-negative decimal number.");
        }

        var contentType = request.Header(UploadProtocol.ContentType);
        if (rawSize > SizeLimit(contentType))
        {
            return BadUpload($"The file is too large: {rawSize} bytes is above the {SizeLimit(contentType)} byte limit for its type.");
        }

        var fileName = request.Header(UploadProtocol.FileName) ?? "";
        if (fileName.Any(c => c > 127)) return BadUpload("X-Goog-Upload-File-Name must be ASCII; send Unicode names in batchCreate's fileName.");

        var id = RandomId(48);
        var session = new EmulatedUploadSession(id, grant.User, grant.ClientId, rawSize, contentType, fileName,
            Options.ChunkGranularity, Options.Time.GetUtcNow());
        lock (_gate) _sessions[id] = session;

        return new HttpResponse(200)
            .WithHeader(UploadProtocol.Status, "active")
            .WithHeader(UploadProtocol.Url, $"{exchange.BaseUrl}v1/uploads?upload_id={id}&upload_protocol=resumable")
            .WithHeader(UploadProtocol.ChunkGranularity, Options.ChunkGranularity.ToString(CultureInfo.InvariantCulture))
            .WithHeader(UploadProtocol.UploaderId, id);
    }

    private async Task<HttpResponse> HandleSessionAsync(HttpExchange exchange, string sessionId, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        EmulatedUploadSession? session;
        lock (_gate) _sessions.TryGetValue(sessionId, out session);
        if (session is null || session.CreatedAt + Options.UploadSessionLifetime <= Options.Time.GetUtcNow())
        {
            return GoogleErrors.Json(404, "The upload session does not exist or has expired.", "NOT_FOUND");
        }

        if (session.User != grant.User) return GoogleErrors.Json(403, "The upload session belongs to another user.", "PERMISSION_DENIED");

        var commands = (request.Header(UploadProtocol.Command) ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.ToLowerInvariant()).ToHashSet();
        var upload = commands.Contains("upload");
        var finalize = commands.Contains("finalize");
        var valid = commands.SetEquals(["upload"]) || commands.SetEquals(["upload", "finalize"]) || commands.SetEquals(["finalize"])
                    || commands.SetEquals(["query"]) || commands.SetEquals(["cancel"]);
        if (!valid) return SessionError(400, session, $"Unsupported X-Goog-Upload-Command '{request.Header(UploadProtocol.Command)}'.");

        if (commands.Contains("query") || commands.Contains("cancel"))
        {
            if (!await exchange.Body.IsEmptyAsync(cancellationToken).ConfigureAwait(false)) return SessionError(400, session, "query and cancel take an empty body.");
            if (commands.Contains("cancel") && session.Status == SessionStatus.Active) session.Cancel();
            return SessionAnswer(session, includeSize: true);
        }

        if (session.Status == SessionStatus.Final) return SessionError(Options.UploadAfterFinalStatus, session, "The upload session is already finalized.");
        if (session.Status == SessionStatus.Cancelled) return SessionError(400, session, "The upload session was cancelled.");

        // docs/protocol.md#send-the-bytes and #emulator-checks list Content-Length as required on upload and finalize requests: the committed
        // offset, the granularity rule and the finalize size check are all stated in terms of it. Whether Google
        // also takes a chunked body here is UNCONFIRMED, so the documented requirement stands.
        if (exchange.Body.DeclaredLength is not { } length)
        {
            return SessionError(411, session, "upload and finalize requests require a Content-Length header.");
        }

        long offset;
        var offsetText = request.Header(UploadProtocol.Offset);
        if (offsetText is null)
        {
            var singleRequest = upload && finalize && session.Committed == 0 && !Options.RequireOffsetOnSingleRequest;
            if (upload && !singleRequest) return SessionError(400, session, "X-Goog-Upload-Offset is required.");
            offset = session.Committed;
        }
        else if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return SessionError(400, session, "X-Goog-Upload-Offset must be a non-negative decimal number.");
        }

        if (offset != session.Committed)
        {
            return SessionError(400, session, $"Invalid offset {offset}: the session has received {session.Committed} bytes.");
        }

        if (!upload && length != 0) return SessionError(400, session, "A bare finalize takes an empty body.");
        if (upload && !finalize && (length == 0 || length % session.Granularity != 0))
        {
            return SessionError(400, session, $"A chunk that does not finalize must be a positive multiple of {session.Granularity} bytes; got {length}.");
        }

        if (offset + length > session.RawSize)
        {
            return SessionError(413, session, $"The chunk ends at byte {offset + length}, beyond the declared size {session.RawSize}.");
        }

        if (finalize && offset + length != session.RawSize)
        {
            return SessionError(400, session, $"Cannot finalize at byte {offset + length}: the declared size is {session.RawSize}.");
        }

        if (!session.TryBeginWrite()) return SessionError(400, session, "Another request is writing to this upload session.");
        try
        {
            var reset = length > 0 && (TakeFault(finalize ? FaultTarget.UploadFinalize : FaultTarget.UploadChunk, FaultKind.ResetMidBody) is not null || ChaosReset());
            var complete = await session.ReceiveAsync(exchange.Body, length, Options.CommitPartialGranules,
                reset ? length / 2 : null, cancellationToken).ConfigureAwait(false);
            // Either the client dropped the connection or we are imitating that: there is nobody to answer.
            if (!complete) throw new AbortConnectionException();

            if (!finalize) return SessionAnswer(session, includeSize: !Options.OmitSizeReceivedOnChunks);

            var token = "CAIS" + RandomId(120);
            var sha256 = session.Finalize(token);
            lock (_gate)
            {
                _uploadTokens[token] = new EmulatedUploadToken(token, session.User, session.ClientId, session.FileName,
                    session.ContentType ?? UploadProtocol.TypeOf(session.FileName),
                    session.RawSize, sha256, Options.Time.GetUtcNow());
            }

            var response = HttpResponse.Text(200, token);
            return AddSessionHeaders(response, session, includeSize: false);
        }
        finally
        {
            session.EndWrite();
        }
    }

    private async Task<HttpResponse> HandleRawAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var contentType = exchange.Request.Header(UploadProtocol.ContentType);
        var limit = SizeLimit(contentType);
        if (exchange.Body.DeclaredLength > limit) return BadUpload($"The file is too large: {exchange.Body.DeclaredLength} bytes.");

        // A chunked body (rclone streams one when it does not know the size) reveals its length only as it arrives.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        long length = 0;
        int read;
        while ((read = await exchange.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            if (length > limit) return BadUpload($"The file is too large: more than {limit} bytes.");
        }

        if (length == 0) return BadUpload("A raw upload needs a non-empty body.");

        var fileName = exchange.Request.Header(UploadProtocol.FileName) ?? "";
        var token = "CAIS" + RandomId(120);
        lock (_gate)
        {
            _uploadTokens[token] = new EmulatedUploadToken(token, grant.User, grant.ClientId, fileName,
                contentType ?? UploadProtocol.TypeOf(fileName), length,
                Convert.ToHexStringLower(hash.GetHashAndReset()), Options.Time.GetUtcNow());
        }

        return HttpResponse.Text(200, token);
    }

    /// <summary>The one cap all upload bodies share (<see cref="EmulatorOptions.UploadBandwidth"/>); a test that swaps the options gets a new one, or null.</summary>
    private BandwidthLimit? Uplink()
    {
        if (Options.UploadBandwidth is not { } rate) return null;
        lock (_gate)
        {
            if (_uplink?.BytesPerSecond != rate) _uplink = new BandwidthLimit(rate, Options.Time);
            return _uplink;
        }
    }

    /// <summary>Google's limits by announced type; an unknown type gets the video limit (UNCONFIRMED).</summary>
    private static long SizeLimit(string? contentType) =>
        contentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true ? UploadProtocol.MaxPhotoBytes : UploadProtocol.MaxVideoBytes;

    private static HttpResponse BadUpload(string message) => GoogleErrors.Json(400, message, "INVALID_ARGUMENT");

    private static HttpResponse SessionError(int status, EmulatedUploadSession session, string message) =>
        AddSessionHeaders(GoogleErrors.Json(status, message), session, includeSize: true);

    private static HttpResponse SessionAnswer(EmulatedUploadSession session, bool includeSize) =>
        AddSessionHeaders(new HttpResponse(200), session, includeSize);

    private static HttpResponse AddSessionHeaders(HttpResponse response, EmulatedUploadSession session, bool includeSize)
    {
        var status = session.Status switch
        {
            SessionStatus.Final => "final",
            SessionStatus.Cancelled => "cancelled",
            _ => "active",
        };
        response.WithHeader(UploadProtocol.Status, status);
        if (includeSize && session.Status == SessionStatus.Active)
        {
            response.WithHeader(UploadProtocol.SizeReceived, session.Committed.ToString(CultureInfo.InvariantCulture));
            response.WithHeader(UploadProtocol.ChunkGranularity, session.Granularity.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }
}
