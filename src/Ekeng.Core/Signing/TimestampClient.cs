using System.Net.Http.Headers;
using System.Security.Cryptography;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;

namespace Ekeng.Signing
{
    /// <summary>
    /// An RFC 3161 client: a TimeStampReq (SHA-256 imprint of the signature value, a random nonce, certReq) POSTed
    /// as application/timestamp-query; the reply is checked against the request (status granted, same imprint and
    /// nonce, a token signed by its TSA certificate) before its token is used. HTTPS servers are trusted through
    /// <see cref="ServerTrust"/> (a PEM of roots, or the system's).
    /// </summary>
    internal sealed class TimestampClient : IDisposable
    {
        private const int MaxReplyBytes = 1024 * 1024;
        private readonly Uri _server;
        private readonly HttpClient _http;

        public TimestampClient(Uri server, ServerTrust trust)
        {
            _server = server;
            var handler = new HttpClientHandler
            {
                // The request is a POST: a redirect is never followed (to another host it would be another TSA).
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => trust.Validate(certificate, errors),
            };
            _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        }

        /// <summary>The DER TimeStampToken (a ContentInfo) over <paramref name="signatureValue"/>.</summary>
        public byte[] Stamp(byte[] signatureValue, CancellationToken cancel)
        {
            byte[] imprint;
            using (SHA256 sha = SHA256.Create())
            {
                imprint = sha.ComputeHash(signatureValue);
            }

            var generator = new TimeStampRequestGenerator();
            generator.SetCertReq(true);
            byte[] nonce = new byte[8];
            using (RandomNumberGenerator random = RandomNumberGenerator.Create())
            {
                random.GetBytes(nonce);
            }

            TimeStampRequest request = generator.Generate(TspAlgorithms.Sha256, imprint, new BigInteger(1, nonce));
            byte[] reply;
            try
            {
                var content = new ByteArrayContent(request.GetEncoded());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
                // Headers first, then the body read in bounded chunks: nothing larger than 1 MiB is ever buffered.
                using (var post = new HttpRequestMessage(HttpMethod.Post, _server) { Content = content })
                using (HttpResponseMessage response = _http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancel).GetAwaiter().GetResult())
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw Failed($"it answered HTTP {(int)response.StatusCode}");
                    }

                    using (Stream body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult())
                    using (var copy = new MemoryStream())
                    {
                        var buffer = new byte[8192];
                        int read;
                        while ((read = body.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            copy.Write(buffer, 0, read);
                            if (copy.Length > MaxReplyBytes)
                            {
                                throw Failed("its reply is larger than 1 MiB");
                            }
                        }

                        reply = copy.ToArray();
                    }
                }
            }
            catch (HttpRequestException e)
            {
                throw Failed("it cannot be reached: " + (e.InnerException?.Message ?? e.Message), e);
            }
            catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
            {
                throw Failed("it did not answer within 30 s", e);
            }

            try
            {
                var response = new TimeStampResponse(reply);
                response.Validate(request);
                TimeStampToken token = response.TimeStampToken ?? throw Failed($"it refused the request ({response.GetStatusString() ?? "status " + response.Status})");
                return token.GetEncoded();
            }
            catch (Exception e) when (e is TspException || e is IOException || e is ArgumentException || e is InvalidCastException)
            {
                throw Failed("its reply is not a valid time-stamp for this request: " + e.Message, e);
            }
        }

        public void Dispose() => _http.Dispose();

        private EkengException Failed(string why, Exception? inner = null) =>
            new EkengException(SigningErrors.TimestampFailed, $"The time-stamping server '{_server}' gave no time-stamp: {why}. The file was not written.", inner)
            {
                TargetObject = _server,
            };
    }
}
