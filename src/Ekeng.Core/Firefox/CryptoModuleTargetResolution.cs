using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>The targets found for a request, the errors met on the way (an unreadable profiles.ini) and warnings (nothing found).</summary>
    public sealed class CryptoModuleTargetResolution
    {
        public List<ICryptoModuleTarget> Targets { get; } = new List<ICryptoModuleTarget>();

        public List<EkengException> Errors { get; } = new List<EkengException>();

        public List<string> Warnings { get; } = new List<string>();
    }
}
