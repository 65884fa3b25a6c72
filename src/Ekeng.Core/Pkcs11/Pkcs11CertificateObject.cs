namespace Ekeng.Pkcs11
{
    /// <summary>A certificate object read from a token.</summary>
    internal sealed class Pkcs11CertificateObject
    {
        public Pkcs11CertificateObject(byte[] value, string label, byte[] id)
        {
            Value = value;
            Label = label;
            Id = id;
        }

        public byte[] Value { get; }

        public string Label { get; }

        public byte[] Id { get; }
    }
}
