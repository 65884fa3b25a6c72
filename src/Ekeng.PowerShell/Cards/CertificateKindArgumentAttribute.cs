using System.Collections;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// -Kind of Get-EkengCertificate in the vocabulary of -PinKind: Auth and Sign. The names of
    /// <see cref="CertificateKind"/> (Authentication, Signing, as the certificates' Kind shows them) are accepted and
    /// turned into Auth and Sign; anything else is left for the ValidateSet of the parameter to refuse, so that tab
    /// completion and the error offer Auth and Sign only (Unknown is what a certificate may turn out to be, never a
    /// choice).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CertificateKindArgumentAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The ValidateSet of the parameter.</summary>
        public const string Auth = "Auth";

        /// <summary>The ValidateSet of the parameter.</summary>
        public const string Sign = "Sign";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is string || value is CertificateKind || !(value is IEnumerable items))
            {
                return ToName(value);
            }

            var names = new List<object?>();
            foreach (object? item in items)
            {
                names.Add(ToName(item is PSObject p ? p.BaseObject : item));
            }

            return names.ToArray();
        }

        /// <summary>The kind a -Kind name selects; null for a name outside Auth and Sign.</summary>
        internal static CertificateKind? ToKind(string? name)
        {
            return string.Equals(name, Auth, StringComparison.OrdinalIgnoreCase) ? CertificateKind.Authentication
                : string.Equals(name, Sign, StringComparison.OrdinalIgnoreCase) ? CertificateKind.Signing
                : (CertificateKind?)null;
        }

        private static object? ToName(object? value)
        {
            string? text = value is CertificateKind kind ? kind.ToString() : value as string;
            if (text is null)
            {
                return value;
            }

            switch (text.Trim().ToUpperInvariant())
            {
                case "AUTH":
                case "AUTHENTICATION":
                    return Auth;
                case "SIGN":
                case "SIGNING":
                    return Sign;
                default:
                    return text;
            }
        }
    }
}
