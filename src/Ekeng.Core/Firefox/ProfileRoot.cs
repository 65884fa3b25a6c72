using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Ekeng.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>A folder that can hold a profiles.ini, with the packaging it belongs to.</summary>
    public sealed class ProfileRoot
    {
        public ProfileRoot(MozillaApplication application, string path, MozillaPackaging packaging)
        {
            Application = application;
            Path = path;
            Packaging = packaging;
        }

        public MozillaApplication Application { get; }
        public string Path { get; }
        public MozillaPackaging Packaging { get; }

        public override string ToString() => Path;
    }
}
