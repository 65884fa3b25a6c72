namespace Ekeng.Crm
{
    /// <summary>The contract terms the holder accepts when registering.</summary>
    public sealed class CrmTerms
    {
        public CrmTerms(string version, string text)
        {
            Version = version;
            Text = text;
        }

        public string Version { get; }

        public string Text { get; }

        public override string ToString() => Version;
    }
}
