namespace Ekeng.Firefox
{
    /// <summary>The module to register: a device name and a library path.</summary>
    public sealed class CryptoModuleSpec
    {
        /// <summary>The device name used when none is given: it names the card's middleware, the tokens are named by the card.</summary>
        public const string DefaultName = "ARMID (CryptoCard)";

        public CryptoModuleSpec(string name, string library)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("The module name is empty.", nameof(name));
            }

            if (string.IsNullOrWhiteSpace(library))
            {
                throw new ArgumentException("The library path is empty.", nameof(library));
            }

            Name = name;
            Library = library;
        }

        public string Name { get; }

        public string Library { get; }
    }
}
