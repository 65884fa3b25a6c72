using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Ekeng.Http
{
    /// <summary>
    /// .NET reads the system's trust store once per process, when it builds its first certificate chain. On Linux that
    /// is every certificate of OpenSSL's bundle and folder (40-80 ms here), and it falls in the middle of the first TLS
    /// handshake, even when -TrustedCaFile names the only roots. <see cref="Start"/> builds one chain of a certificate of
    /// the module's own, once per process, on a thread of its own (not the pool's: the command's network I/O needs
    /// those few threads), so that the read overlaps what runs before the first handshake; Import-Module starts it.
    /// The certificate is self-signed and has no extension that could make the chain builder fetch anything; the result
    /// is thrown away and nothing is trusted.
    /// </summary>
    public static class TrustStoreWarmUp
    {
        // CN=Ekeng trust store warm-up: P-256, self-signed, CA:FALSE (made with openssl req -x509; its key was discarded).
        private const string Certificate =
            "MIIBiTCCAS+gAwIBAgIBATAKBggqhkjOPQQDAjAkMSIwIAYDVQQDDBlFa2VuZyB0cnVzdCBzdG9yZSB3YXJtLXVwMCAXDTI2MTIwNzA4MzAwMFoYDzIx" +
            "MjYxMTEzMDgzMDAwWjAkMSIwIAYDVQQDDBlFa2VuZyB0cnVzdCBzdG9yZSB3YXJtLXVwMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENUPpQoJemfpa" +
            "xrr/48XBx/uPmW5VZGlyQQwiyYGZyQtWEfjrW6czJyXVtt53PDbDaoOeib9nbpZOWlW2HFU30aNQME4wHQYDVR0OBBYEFGoiOi28KyERUxHMlkNGlFUJ" +
            "vZWIMB8GA1UdIwQYMBaAFGoiOi28KyERUxHMlkNGlFUJvZWIMAwGA1UdEwEB/wQCMAAwCgYIKoZIzj0EAwIDSAAwRQIhAKfeXOV6cVLosmTfGi+V1850" +
            "HDHMr+3RiRrIprjVsSNDAiAx9tVYSgl4zAyJqTqfmh8yViuGQ6rDSljq4lI4xjRL4A==";

        private static readonly object Gate = new object();
        private static Task? _started;

        /// <summary>True once <see cref="Start"/> has started the chain build in this process (Import-Module does, on Linux).</summary>
        public static bool Started
        {
            get
            {
                lock (Gate)
                {
                    return _started != null;
                }
            }
        }

        /// <summary>
        /// Starts the one chain build of this process (later calls return the same task); a failure is logged at Debug
        /// level only. Linux only, where the cost was measured (OpenSSL's store): on Windows an untrusted root could make
        /// the chain engine fetch Microsoft's root list, and macOS reads no store of this kind.
        /// </summary>
        public static Task Start(ILogger logger)
        {
            if (!Ekeng.Platform.HostOs.IsLinux)
            {
                return Task.CompletedTask;
            }

            lock (Gate)
            {
                return _started ??= Task.Factory.StartNew(() =>
                {
                    try
                    {
                        using (var certificate = new X509Certificate2(Convert.FromBase64String(Certificate)))
                        using (var chain = new X509Chain())
                        {
                            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                            _ = chain.Build(certificate);
                        }
                    }
                    catch (Exception e)
                    {
                        logger.LogDebug("Reading the system's trust store ahead of the first TLS handshake did not succeed ({Message}); the handshake does it itself.", e.Message);
                    }
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }
    }
}
