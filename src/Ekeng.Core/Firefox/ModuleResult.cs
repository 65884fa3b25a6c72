using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using Ekeng.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ekeng.Platform;

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
