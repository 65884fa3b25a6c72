namespace Ekeng.Firefox
{
    /// <summary>The outcome of one edit of a module list (a pkcs11.txt, a SecurityDevices policy): the status and whether something must be written.</summary>
    public sealed class PolicyEdit
    {
        public PolicyEdit(CryptoModuleStatus status, string name, string library, bool changed, string? message = null)
        {
            Status = status;
            Name = name;
            Library = library;
            Changed = changed;
            Message = message;
        }

        public CryptoModuleStatus Status { get; }

        /// <summary>The device name concerned (another name when the library was found under it).</summary>
        public string Name { get; }

        public string Library { get; }

        public bool Changed { get; }

        public string? Message { get; }
    }
}
