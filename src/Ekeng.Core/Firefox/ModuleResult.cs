using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>What one target gave: the object to output (null when -WhatIf declined the write) and an error to report.</summary>
    public sealed class ModuleResult
    {
        public ModuleResult(FirefoxCryptoModule? module, EkengException? error = null)
        {
            Module = module;
            Error = error;
        }

        public FirefoxCryptoModule? Module { get; }

        public EkengException? Error { get; }
    }
}
