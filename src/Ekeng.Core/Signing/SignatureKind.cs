namespace Ekeng.Signing
{
    /// <summary>How a file is signed: a PDF gets a PAdES signature in a new revision, any other file a detached CAdES .p7s.</summary>
    public enum SignatureKind
    {
        Pades,
        Cades,
    }
}
