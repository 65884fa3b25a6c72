using System.Reflection;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Http
{
    /// <summary>
    /// Picks the way to a card key for this process: the certificate store on Windows; on .NET 8+ elsewhere the
    /// OpenSSL engine route of Ekeng.Tls.dll, loaded from beside this assembly at run time (Ekeng.Core and the cmdlets
    /// stay netstandard2.0 and load in Windows PowerShell 5.1, which never reaches this code path).
    /// </summary>
    public static class ClientCertificateHandlers
    {
        public const string TlsAssemblyName = "Ekeng.Tls";
        public const string TlsFactoryTypeName = "Ekeng.Tls.OpenSslEngineHandlerFactory";
        private static readonly object Gate = new object();
        private static IClientCertificateHandlerFactory? _default;

        /// <summary>The factory for this platform (created once).</summary>
        public static IClientCertificateHandlerFactory Default
        {
            get
            {
                lock (Gate)
                {
                    return _default ??= Create();
                }
            }
        }

        /// <summary>
        /// Starts, on a worker thread, what the card login through <paramref name="pkcs11Module"/> will need that involves
        /// neither the PIN nor the key nor the network: this platform's factory (Ekeng.Tls loaded), its preparation
        /// (<see cref="IClientCertificatePreparation"/>: OpenSSL's pkcs11 engine started once per process) and the JSON
        /// contracts of <paramref name="bodies"/> (the service's replies, e.g. the CRM client's BodyTypes).
        /// A command starts it before its contract probe, so that the two overlap; a failure is left for the login
        /// itself to report (logged at Debug level only). Returns the work's task.
        /// </summary>
        public static Task Prepare(string? pkcs11Module, ILogger logger, params Type[] bodies)
        {
            return Task.Run(() =>
            {
                try
                {
                    foreach (Type type in bodies ?? Type.EmptyTypes)
                    {
                        EkengSession.Json.GetTypeInfo(type);
                    }

                    if (!string.IsNullOrEmpty(pkcs11Module) && Default is IClientCertificatePreparation preparation)
                    {
                        preparation.Prepare(pkcs11Module!, logger);
                    }
                }
                catch (Exception e)
                {
                    logger.LogDebug("Preparing the card login ahead of time did not succeed ({Message}); the login does it itself.", e.Message);
                }
            });
        }

        private static IClientCertificateHandlerFactory Create()
        {
            if (HostOs.IsWindows)
            {
                return new WindowsCertificateStoreHandlerFactory();
            }

            if (Environment.Version.Major < 8)
            {
                throw new EkengException(ServiceErrors.ClientCertificateUnsupported, $"Logging in with the card's key needs PowerShell 7.4 or later (.NET 8+) off Windows; this is .NET {Environment.Version}.");
            }

            return LoadTlsFactory(Path.GetDirectoryName(typeof(ClientCertificateHandlers).Assembly.Location) ?? ".");
        }

        /// <summary>Loads Ekeng.Tls.dll from <paramref name="directory"/> (or the one already loaded) and makes its factory.</summary>
        internal static IClientCertificateHandlerFactory LoadTlsFactory(string directory)
        {
            Assembly? assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == TlsAssemblyName);
            if (assembly is null)
            {
                string path = Path.Combine(directory, TlsAssemblyName + ".dll");
                if (!File.Exists(path))
                {
                    throw new EkengException(ServiceErrors.ClientCertificateSupportMissing, $"{TlsAssemblyName}.dll is missing beside the module ({path}): the card login off Windows lives there.")
                    {
                        TargetObject = path,
                    };
                }

                assembly = Assembly.LoadFrom(path);
            }

            Type type = assembly.GetType(TlsFactoryTypeName, throwOnError: true)!;
            return (IClientCertificateHandlerFactory)Activator.CreateInstance(type)!;
        }
    }
}
