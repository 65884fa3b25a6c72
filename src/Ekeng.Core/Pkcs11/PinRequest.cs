namespace Ekeng.Pkcs11
{
    /// <summary>
    /// One token's new PIN and, to change it, its current PIN; to activate or unblock it, optionally its own PUK
    /// (else the PUK given to <see cref="PinService.Execute"/> for every token).
    /// </summary>
    public sealed class PinRequest
    {
        public PinRequest(Pkcs11Token token, SecureString newPin, SecureString? currentPin = null, SecureString? puk = null)
        {
            Token = token ?? throw new ArgumentNullException(nameof(token));
            NewPin = newPin ?? throw new ArgumentNullException(nameof(newPin));
            CurrentPin = currentPin;
            Puk = puk;
        }

        public Pkcs11Token Token { get; }

        public SecureString NewPin { get; }

        public SecureString? CurrentPin { get; }

        /// <summary>This token's own PUK; null to use the one shared by every token of the command.</summary>
        public SecureString? Puk { get; }
    }
}
