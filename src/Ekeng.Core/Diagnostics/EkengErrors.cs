using System.Reflection;

namespace Ekeng.Diagnostics
{
    /// <summary>
    /// The error catalogue: one static class per area holds its entries (<see cref="EkengError"/>), and this lists
    /// them all. README.md's error table is checked against it (tests/Ekeng.Tests/Meta/ErrorCatalogueTests.cs).
    /// </summary>
    public static class EkengErrors
    {
        /// <summary>The catalogue classes, one per area.</summary>
        public static IReadOnlyList<Type> Areas { get; } = new[]
        {
            typeof(CommandErrors),
            typeof(PcSc.PcScErrors),
            typeof(Cards.CardErrors),
            typeof(Pkcs11.TokenErrors),
            typeof(Pkcs11.PinErrors),
            typeof(Certificates.CertificateErrors),
            typeof(Http.ServiceErrors),
            typeof(Crm.CrmErrors),
            typeof(Payments.FeeErrors),
            typeof(Firefox.BrowserErrors),
            typeof(Platform.FileErrors),
            typeof(Signing.SigningErrors),
        };

        private static readonly Lazy<IReadOnlyList<EkengError>> Entries = new Lazy<IReadOnlyList<EkengError>>(() =>
            Areas.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Where(f => f.FieldType == typeof(EkengError))
                .Select(f => (EkengError)f.GetValue(null)!)
                .ToList());

        private static readonly Lazy<Dictionary<string, EkengError>> ById = new Lazy<Dictionary<string, EkengError>>(() =>
            Entries.Value.ToDictionary(e => e.Id, StringComparer.Ordinal));

        /// <summary>Every entry of every area.</summary>
        public static IReadOnlyList<EkengError> All => Entries.Value;

        /// <summary>The entry of <paramref name="id"/>, or null.</summary>
        public static EkengError? Find(string id) => ById.Value.TryGetValue(id, out EkengError? e) ? e : null;
    }
}
