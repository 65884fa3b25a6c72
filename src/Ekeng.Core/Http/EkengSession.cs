using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>
    /// One logged-in HTTP session with an EKENG service (the CRM, and the fee endpoints on the same listener): the
    /// HttpClient over the card's mutual TLS, the base URI, JSON in the contract's conventions, bounded retries with
    /// backoff for idempotent GETs only (POSTs are sent once), and transport failures as EkengExceptions with stable
    /// ids (&lt;prefix&gt;Unreachable, &lt;prefix&gt;Timeout, &lt;prefix&gt;Error, ClientCertificateRefused,
    /// ServerCertificateUntrusted, TlsHandshakeFailed). Service clients (CrmClient, the fee client) map the
    /// contract's own error ids through the <c>mapError</c> callback of each call.
    /// </summary>
    public sealed class EkengSession : IDisposable
    {
        private readonly HttpClient _client;
        private readonly EkengSessionOptions _options;
        private readonly ILogger _logger;

        public EkengSession(HttpMessageHandler handler, EkengSessionOptions options, ILogger? logger = null)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _logger = logger ?? NullLogger.Instance;
            _client = new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Ekeng.PowerShell", typeof(EkengSession).Assembly.GetName().Version?.ToString(3) ?? "0"));
        }

        /// <summary>
        /// The contract's JSON: camelCase, enums as names, case-insensitive reading. The resolver is named, so that a
        /// contract can be built (<see cref="JsonSerializerOptions.GetTypeInfo"/>) before the first body is read.
        /// </summary>
        public static JsonSerializerOptions Json { get; } = new JsonSerializerOptions
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Bodies are JSON for an API, never HTML: '+' in a phone number stays '+'.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter() },
        };

        public Uri BaseUri => _options.BaseUri;

        public ServerTrust Trust => _options.Trust;

        /// <summary>The hosts a payment page may be on besides <see cref="BaseUri"/>'s (the named gateway).</summary>
        public System.Collections.Generic.IEnumerable<string> GatewayHosts => _options.GatewayHosts;

        /// <summary>The first pause between two attempts (the fee client waits it before a second order POST).</summary>
        internal TimeSpan RetryDelay => _options.RetryDelay;

        /// <summary>The thumbprint of the client certificate this session logs in with (null without one).</summary>
        public string? ClientCertificateThumbprint => _options.ClientCertificate?.Thumbprint;

        /// <summary>Opens a session: the card login's handler (or a plain one), the server checked against the options' trust.</summary>
        public static EkengSession Open(EkengSessionOptions options, ILogger? logger = null)
        {
            logger ??= NullLogger.Instance;
            HttpMessageHandler handler;
            if (options.ClientCertificate is null)
            {
                ServerTrust trust = options.Trust;
                handler = new HttpClientHandler
                {
                    // Never followed: a redirect would replay a POST body (an SMS code) to wherever the server points.
                    AllowAutoRedirect = false,
                    ServerCertificateCustomValidationCallback = (request, c, chain, e) => trust.Validate(c, chain, e, request.RequestUri?.Host),
                };
            }
            else
            {
                IClientCertificateHandlerFactory factory = options.HandlerFactory ?? ClientCertificateHandlers.Default;
                logger.LogInformation("Logging in to {Service} at {Uri} with certificate {Thumbprint} through {Route}.", options.ServiceName, options.BaseUri, options.ClientCertificate.Thumbprint, factory.Name);
                handler = factory.CreateHandler(options.ClientCertificate, options.Trust, logger);
            }

            return new EkengSession(handler, options, logger);
        }

        /// <summary>GET with bounded retries (network failures, timeouts, 502/503/504), backoff doubling each time.</summary>
        public async Task<EkengHttpResponse<T>> GetAsync<T>(string path, Func<EkengHttpError, EkengException?>? mapError, CancellationToken cancellationToken)
        {
            int attempts = Math.Max(1, _options.GetAttempts);
            TimeSpan delay = _options.RetryDelay;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await SendAsync<T>(HttpMethod.Get, path, null, mapError, cancellationToken).ConfigureAwait(false);
                }
                catch (EkengException e) when (attempt < attempts && IsTransient(e))
                {
                    _logger.LogInformation("GET {Path} failed ({Message}); attempt {Next} of {Attempts} in {Delay} ms.", path, e.Message, attempt + 1, attempts, (int)delay.TotalMilliseconds);
                    await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(delay.Ticks * 2);
                }
            }
        }

        /// <summary>POST a JSON body, once (never retried: the server may have acted on it).</summary>
        public Task<EkengHttpResponse<T>> PostAsync<T>(string path, object body, Func<EkengHttpError, EkengException?>? mapError, CancellationToken cancellationToken)
        {
            byte[] utf8 = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json);
            return SendAsync<T>(HttpMethod.Post, path, utf8, mapError, cancellationToken);
        }

        /// <summary>
        /// POST a JSON body the caller built as UTF-8 bytes (a secret inside: the caller zeroes them after this returns;
        /// they are never turned into a string here), once.
        /// </summary>
        public Task<EkengHttpResponse<T>> PostUtf8Async<T>(string path, byte[] utf8Json, Func<EkengHttpError, EkengException?>? mapError, CancellationToken cancellationToken) =>
            SendAsync<T>(HttpMethod.Post, path, utf8Json, mapError, cancellationToken);

        public void Dispose() => _client.Dispose();

        /// <summary>A pause between two attempts (the options' delay, else Task.Delay).</summary>
        internal Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            _options.Delay?.Invoke(delay, cancellationToken) ?? Task.Delay(delay, cancellationToken);

        internal bool IsTransient(EkengException e) =>
            _options.Errors.Unreachable.Is(e) || _options.Errors.Timeout.Is(e) || _options.Errors.Unavailable.Is(e);

        private async Task<EkengHttpResponse<T>> SendAsync<T>(HttpMethod method, string path, byte[]? body, Func<EkengHttpError, EkengException?>? mapError, CancellationToken cancellationToken)
        {
            var uri = new Uri(_options.BaseUri, path.TrimStart('/'));
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var request = new HttpRequestMessage(method, uri))
            {
                timeout.CancelAfter(_options.Timeout);
                if (body != null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                }

                _logger.LogDebug("{Method} {Uri}", method, uri);
                HttpResponseMessage response;
                try
                {
                    response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new EkengException(_options.Errors.Timeout, $"{Capital(_options.ServiceName)} did not answer within {_options.Timeout.TotalSeconds:0} s ({method} {uri.AbsolutePath}).", e)
                    {
                        TargetObject = uri.ToString(),
                    };
                }
                catch (HttpRequestException e)
                {
                    throw MapTransport(e, uri);
                }

                using (response)
                {
                    int code = (int)response.StatusCode;
                    if (code >= 300 && code < 400)
                    {
                        // No redirect is followed, on any method: the POST (an SMS code) and the card's login stay with this host.
                        string? location = response.Headers.Location?.ToString();
                        _logger.LogDebug("{Method} {Path}: HTTP {Status} to {Location}, not followed.", method, uri.AbsolutePath, code, location);
                        throw new EkengException(_options.Errors.RedirectRefused, $"{Capital(_options.ServiceName)} answered {method} {uri.AbsolutePath} with a redirect (HTTP {code}{(location is null ? string.Empty : " to " + location)}); redirects are never followed, so nothing was sent elsewhere.")
                        {
                            TargetObject = uri.ToString(),
                        };
                    }

                    string text;
                    try
                    {
                        text = await ReadBoundedAsync(response, uri, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new EkengException(_options.Errors.Timeout, $"{Capital(_options.ServiceName)} did not finish its answer within {_options.Timeout.TotalSeconds:0} s ({method} {uri.AbsolutePath}).", e)
                        {
                            TargetObject = uri.ToString(),
                        };
                    }
                    catch (Exception e) when (e is System.IO.IOException || e is HttpRequestException)
                    {
                        throw MapTransport(e as HttpRequestException ?? new HttpRequestException(e.Message, e), uri);
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        try
                        {
                            T value = JsonSerializer.Deserialize<T>(text, Json)!;
                            if (value is null)
                            {
                                throw new JsonException("empty body");
                            }

                            return new EkengHttpResponse<T>(response.StatusCode, value);
                        }
                        catch (JsonException e)
                        {
                            throw new EkengException(_options.Errors.ProtocolError, $"{Capital(_options.ServiceName)} answered {method} {uri.AbsolutePath} with a body this module does not understand ({e.Message}).", e)
                            {
                                TargetObject = uri.ToString(),
                            };
                        }
                    }

                    EkengHttpError error = ParseError(response, text);
                    _logger.LogDebug("{Method} {Path}: HTTP {Status} {Error}", method, uri.AbsolutePath, (int)response.StatusCode, error.ErrorId);
                    throw mapError?.Invoke(error) ?? MapDefault(error, uri);
                }
            }
        }

        /// <summary>
        /// The body as UTF-8 text, read in chunks up to <see cref="EkengSessionOptions.MaxResponseBytes"/>: a longer body
        /// (announced or not) ends the read at the limit with &lt;prefix&gt;ResponseTooLarge; nothing larger is buffered.
        /// </summary>
        private async Task<string> ReadBoundedAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
        {
            if (response.Content is null)
            {
                return string.Empty;
            }

            int max = _options.MaxResponseBytes;
            long? announced = response.Content.Headers.ContentLength;
            if (announced > max)
            {
                throw TooLarge(uri, $"{announced} bytes announced");
            }

            using (System.IO.Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var buffer = new System.IO.MemoryStream())
            {
                byte[] chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > max)
                    {
                        throw TooLarge(uri, $"more than {max} bytes sent");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }

        private EkengException TooLarge(Uri uri, string what) =>
            new EkengException(_options.Errors.ResponseTooLarge, $"{Capital(_options.ServiceName)} sent an answer larger than this module reads ({what}; the limit is {_options.MaxResponseBytes / 1024} KiB) for {uri.AbsolutePath}; it was not read further.")
            {
                TargetObject = uri.ToString(),
            };

        private EkengException MapTransport(HttpRequestException e, Uri uri)
        {
            if (_options.Trust.LastFailure != null)
            {
                return new EkengException(ServiceErrors.ServerCertificateUntrusted, $"The server at {uri.GetLeftPart(UriPartial.Authority)} is not trusted: {_options.Trust.LastFailure}.", e)
                {
                    TargetObject = uri.ToString(),
                };
            }

            for (Exception? inner = e.InnerException; inner != null; inner = inner.InnerException)
            {
                if (inner is AuthenticationException)
                {
                    return new EkengException(ServiceErrors.TlsHandshakeFailed, $"The TLS handshake with {uri.GetLeftPart(UriPartial.Authority)} failed ({inner.Message}); the server may not accept the card's certificate.", e)
                    {
                        TargetObject = uri.ToString(),
                    };
                }

                if (inner is EkengException ekeng)
                {
                    return ekeng;
                }
            }

            return new EkengException(_options.Errors.Unreachable, $"{Capital(_options.ServiceName)} at {uri.GetLeftPart(UriPartial.Authority)} is unreachable ({Innermost(e).Message}).", e)
            {
                TargetObject = uri.ToString(),
            };
        }

        private EkengException MapDefault(EkengHttpError error, Uri uri)
        {
            if (error.StatusCode == HttpStatusCode.Forbidden && error.ErrorId != null && error.ErrorId.StartsWith("ClientCertificate", StringComparison.Ordinal))
            {
                return new EkengException(ServiceErrors.ClientCertificateRefused, $"{Capital(_options.ServiceName)} refused the card's certificate: {error.Reason} ({error.ErrorId}).")
                {
                    TargetObject = error.ErrorId,
                };
            }

            int status = (int)error.StatusCode;
            if (status == 502 || status == 503 || status == 504)
            {
                return new EkengException(_options.Errors.Unavailable, $"{Capital(_options.ServiceName)} is unavailable (HTTP {status}: {error.Reason}).")
                {
                    TargetObject = uri.ToString(),
                };
            }

            return new EkengException(_options.Errors.Error, status >= 500 ? EkengErrorKind.InvalidResult : EkengErrorKind.InvalidOperation, $"{Capital(_options.ServiceName)} refused the request: {error.Reason} (HTTP {status}{(error.ErrorId is null ? string.Empty : ", " + error.ErrorId)}).")
            {
                TargetObject = error.ErrorId ?? uri.ToString(),
            };
        }

        internal static EkengHttpError ParseError(HttpResponseMessage response, string text)
        {
            JsonElement body = default;
            string? id = null, message = null;
            TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
            try
            {
                if (text.Length > 0)
                {
                    using (JsonDocument doc = JsonDocument.Parse(text))
                    {
                        body = doc.RootElement.Clone();
                    }
                }
            }
            catch (JsonException)
            {
            }

            var error = new EkengHttpError(response.StatusCode, null, null, retryAfter, body);
            id = error.GetString("error");
            message = error.GetString("message");
            if (retryAfter is null && error.GetInt32("retryAfterSeconds") is int seconds)
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }

            return new EkengHttpError(response.StatusCode, id, message, retryAfter, body);
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }

        private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
