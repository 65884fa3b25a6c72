using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>The catalogue entries an <see cref="EkengSession"/> reports for the service it talks to.</summary>
    public sealed class HttpServiceErrors
    {
        public HttpServiceErrors(EkengError unreachable, EkengError timeout, EkengError unavailable, EkengError error, EkengError redirectRefused, EkengError responseTooLarge, EkengError protocolError)
        {
            Unreachable = unreachable;
            Timeout = timeout;
            Unavailable = unavailable;
            Error = error;
            RedirectRefused = redirectRefused;
            ResponseTooLarge = responseTooLarge;
            ProtocolError = protocolError;
        }

        /// <summary>EKENG's customer system (and the fee service behind the same address).</summary>
        public static HttpServiceErrors Crm { get; } = new HttpServiceErrors(
            ServiceErrors.CrmUnreachable, ServiceErrors.CrmTimeout, ServiceErrors.CrmUnavailable, ServiceErrors.CrmError,
            ServiceErrors.CrmRedirectRefused, ServiceErrors.CrmResponseTooLarge, ServiceErrors.CrmProtocolError);

        public EkengError Unreachable { get; }

        public EkengError Timeout { get; }

        public EkengError Unavailable { get; }

        public EkengError Error { get; }

        public EkengError RedirectRefused { get; }

        public EkengError ResponseTooLarge { get; }

        public EkengError ProtocolError { get; }
    }
}
