using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Emulator;

// The gate every Library API request passes: framing, authentication, scopes, quota, then faults and chaos.
internal sealed partial class PhotosEmulator
{
    private async Task<HttpResponse> HandleApiAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        var isUpload = request.Path == "/v1/uploads";
        var target = TargetOf(request);

        if (RequiredScopes(request) is not { } scopes)
        {
            return GoogleErrors.Json(404, $"The requested URL {request.Method} {request.Path} was not found on this server.", "NOT_FOUND");
        }

        var (caller, authError) = Authenticate(request, target);
        if (caller is null)
        {
            return isUpload && Options.BareUploadAuthErrors
                ? GoogleErrors.BareUpload(401, 16, "Authentication session is not defined.")
                : GoogleErrors.Json(401, authError!, "UNAUTHENTICATED");
        }

        if (!caller.Scopes.Intersect(scopes).Any())
        {
            return GoogleErrors.Json(403, GoogleErrors.InsufficientScopes, "PERMISSION_DENIED");
        }

        if (ConsumeQuota() is { } quotaError) return quotaError;
        if (isUpload) exchange.Body.Limit = Uplink();
        // batchCreate's latency passes inside its handler, while the call counts as in flight.
        var latency = isUpload ? Options.UploadDelay ?? Options.ResponseDelay : Options.ResponseDelay;
        if (target != FaultTarget.BatchCreate && latency > TimeSpan.Zero) await Task.Delay(latency, Options.Time, cancellationToken).ConfigureAwait(false);

        if (TakeFault(target, FaultKind.Delay) is { } delay)
        {
            await Task.Delay(delay.Delay, Options.Time, cancellationToken).ConfigureAwait(false);
        }

        if (TakeFault(target, FaultKind.Status, FaultKind.RateLimit) is { } fault)
        {
            return fault.Kind == FaultKind.RateLimit
                ? RateLimited(GoogleErrors.MinuteQuota, fault.RetryAfter ?? Options.RetryAfterOnRateLimit)
                : GoogleErrors.Json(fault.Status, fault.Status >= 500 ? "Internal error encountered." : "Injected failure.");
        }

        if (Chaos() is { } chaos) return chaos;

        var grant = caller.Grant;
        return request.Path switch
        {
            "/v1/uploads" => await HandleUploadAsync(exchange, grant, cancellationToken).ConfigureAwait(false),
            "/v1/mediaItems:batchCreate" => await HandleBatchCreateAsync(exchange, grant, cancellationToken).ConfigureAwait(false),
            "/v1/mediaItems:search" => await HandleSearchAsync(exchange, grant, cancellationToken).ConfigureAwait(false),
            "/v1/mediaItems:batchGet" => HandleBatchGet(exchange, grant),
            "/v1/mediaItems" => HandleListMediaItems(exchange, grant),
            "/v1/albums" when request.Method == "POST" => await HandleCreateAlbumAsync(exchange, grant, cancellationToken).ConfigureAwait(false),
            "/v1/albums" => HandleListAlbums(exchange, grant),
            _ when request.Path.StartsWith("/v1/mediaItems/", StringComparison.Ordinal) => HandleGetMediaItem(exchange, grant),
            _ when request.Path.EndsWith(":batchAddMediaItems", StringComparison.Ordinal) => await HandleAlbumItemsAsync(exchange, grant, add: true, cancellationToken).ConfigureAwait(false),
            _ when request.Path.EndsWith(":batchRemoveMediaItems", StringComparison.Ordinal) => await HandleAlbumItemsAsync(exchange, grant, add: false, cancellationToken).ConfigureAwait(false),
            _ => HandleGetAlbum(exchange, grant),
        };
    }

    /// <summary>The scopes any one of which allows the call (docs/protocol.md#endpoints); null for unknown routes.</summary>
    private static string[]? RequiredScopes(HttpRequestHead request)
    {
        var (method, path) = (request.Method, request.Path);
        if (method == "POST" && path is "/v1/uploads" or "/v1/mediaItems:batchCreate" or "/v1/albums") return [LibraryScopes.AppendOnly];
        if (method == "POST" && path.StartsWith("/v1/albums/", StringComparison.Ordinal) && path.EndsWith(":batchAddMediaItems", StringComparison.Ordinal))
        {
            return [LibraryScopes.AppendOnly, LibraryScopes.EditAppCreatedData];
        }

        if (method == "POST" && path.StartsWith("/v1/albums/", StringComparison.Ordinal) && path.EndsWith(":batchRemoveMediaItems", StringComparison.Ordinal))
        {
            return [LibraryScopes.EditAppCreatedData];
        }

        if (method == "POST" && path == "/v1/mediaItems:search") return [LibraryScopes.ReadOnlyAppCreatedData];
        if (method == "GET" && (path is "/v1/albums" or "/v1/mediaItems" or "/v1/mediaItems:batchGet"
                                || (path.StartsWith("/v1/albums/", StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal))
                                || (path.StartsWith("/v1/mediaItems/", StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal))))
        {
            return [LibraryScopes.ReadOnlyAppCreatedData];
        }

        return null;
    }

    private static FaultTarget TargetOf(HttpRequestHead request)
    {
        if (request.Path == "/v1/uploads")
        {
            if (request.QueryValue("upload_id") is null) return FaultTarget.UploadStart;
            var command = request.Header(UploadProtocol.Command) ?? "";
            if (command.Contains("finalize", StringComparison.OrdinalIgnoreCase)) return FaultTarget.UploadFinalize;
            if (command.Contains("upload", StringComparison.OrdinalIgnoreCase)) return FaultTarget.UploadChunk;
            if (command.Contains("query", StringComparison.OrdinalIgnoreCase)) return FaultTarget.UploadQuery;
            return FaultTarget.AnyApi;
        }

        if (request.Path == "/v1/mediaItems:batchCreate") return FaultTarget.BatchCreate;
        if (request.Method == "GET" && request.Path.StartsWith("/v1/mediaItems/", StringComparison.Ordinal)) return FaultTarget.MediaGet;
        return FaultTarget.AnyApi;
    }

    private (EmulatedAccessToken? Caller, string? Error) Authenticate(HttpRequestHead request, FaultTarget target)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (null, "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }

        var token = header["Bearer ".Length..].Trim();
        EmulatedAccessToken? access;
        lock (_gate) _accessTokens.TryGetValue(token, out access);
        if (access is null || access.Revoked || access.Grant.Revoked || access.ExpiresAt <= Options.Time.GetUtcNow())
        {
            return (null, GoogleErrors.Unauthenticated);
        }

        if (TakeFault(target, FaultKind.ExpiredAccessToken) is not null)
        {
            lock (_gate) access.Revoked = true;
            return (null, GoogleErrors.Unauthenticated);
        }

        return (access, null);
    }

    private HttpResponse? ConsumeQuota()
    {
        var now = Options.Time.GetUtcNow();
        lock (_gate)
        {
            // Google's quota day ends at midnight in Los Angeles.
            var today = QuotaDay.Of(now);
            if (today != _quotaDay)
            {
                _quotaDay = today;
                _requestsToday = 0;
            }

            if (_requestsToday >= Options.DailyQuota) return RateLimited(GoogleErrors.DailyQuota, null);

            if (Options.PerMinuteQuota is { } perMinute)
            {
                while (_lastMinute.Count > 0 && now - _lastMinute.Peek() >= TimeSpan.FromMinutes(1)) _lastMinute.Dequeue();
                if (_lastMinute.Count >= perMinute) return RateLimited(GoogleErrors.MinuteQuota, Options.RetryAfterOnRateLimit);
                _lastMinute.Enqueue(now);
            }

            _requestsToday++;
            return null;
        }
    }

    private static HttpResponse RateLimited(string message, TimeSpan? retryAfter)
    {
        var response = GoogleErrors.Json(429, message, "RESOURCE_EXHAUSTED");
        if (retryAfter is { } wait)
        {
            response.WithHeader("Retry-After", ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }

    private HttpResponse? Chaos()
    {
        double roll;
        lock (_chaos) roll = _chaos.NextDouble();
        if (roll < Options.ServerErrorRate)
        {
            return GoogleErrors.Json(roll < Options.ServerErrorRate / 2 ? 500 : 503, "Internal error encountered.");
        }

        roll -= Options.ServerErrorRate;
        if (roll >= 0 && roll < Options.RateLimitRate) return RateLimited(GoogleErrors.MinuteQuota, Options.RetryAfterOnRateLimit);
        return null;
    }

    private bool ChaosReset()
    {
        if (Options.ResetRate <= 0) return false;
        lock (_chaos) return _chaos.NextDouble() < Options.ResetRate;
    }
}
