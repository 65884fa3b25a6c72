using System.Text.RegularExpressions;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Decides whether two library paths name the same library: Firefox refuses a second module for one library,
    /// even through another path (docs/ARCHITECTURE.md#firefox-facts), so the services must see through spelling, case (Windows, macOS),
    /// environment variables, '..' and symbolic links.
    /// </summary>
    public sealed class LibraryPaths
    {
        private readonly MozillaEnvironment _environment;

        public LibraryPaths(MozillaEnvironment environment)
        {
            _environment = environment;
        }

        /// <summary>The path with %VARIABLES% expanded (Windows), quotes and blanks trimmed, made absolute and, when the file exists, symlinks resolved.</summary>
        public string Normalize(string path)
        {
            string p = path.Trim().Trim('"').Trim();
            if (_environment.Platform == OsPlatform.Windows)
            {
                p = Regex.Replace(p, "%([^%]+)%", m => _environment.GetVariable(m.Groups[1].Value) ?? m.Value);
                p = p.Replace('/', '\\');
            }

            if (!IsBareName(p) && IsRooted(p))
            {
                try
                {
                    if ((_environment.Platform == OsPlatform.Windows) == (Path.DirectorySeparatorChar == '\\'))
                    {
                        p = Path.GetFullPath(p);
                    }
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
                {
                    // An unusable path stays as written; it then only matches itself.
                }

                if (_environment.Platform != OsPlatform.Windows && _environment.FileExists(p) && _environment.Platform == HostOs.Current)
                {
                    p = UnixNative.RealPath(p) ?? p;
                }
            }

            return p;
        }

        /// <summary>
        /// The library path as it must be written: NSS and Firefox's policy engine load the path literally, so
        /// %VARIABLES% are expanded here (from this process's environment). A path where a %NAME% pair or a PowerShell
        /// '$env:' stays unexpanded (an unset variable, a single-quoted '$env:X') fails with UnexpandedLibraryPath:
        /// written as it is, the module would never load while the command said Added.
        /// </summary>
        public static string ExpandForWrite(string path)
        {
            string expanded = Environment.ExpandEnvironmentVariables(path);
            Match left = Regex.Match(expanded, "%[^%]+%");
            bool powerShellVariable = expanded.IndexOf("$env:", StringComparison.OrdinalIgnoreCase) >= 0;
            if (left.Success || powerShellVariable)
            {
                string what = left.Success ? $"'{left.Value}' is not an environment variable here" : "'$env:' is PowerShell syntax, expanded only in a double-quoted string";
                var error = new EkengException(BrowserErrors.UnexpandedLibraryPath, $"The library path '{path}' cannot be written: {what}, and Firefox loads the path literally, so the module would never load. Nothing was written.")
                {
                    RecommendedAction = "Give the full path (for example \"$env:ProgramFiles\\...\" in double quotes), or set the variable first.",
                    TargetObject = path,
                };
                throw error;
            }

            return expanded;
        }

        /// <summary>True when both name the same library. A bare file name (found by the loader's search path) matches by file name.</summary>
        public bool AreSame(string? a, string? b)
        {
            if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b))
            {
                return false;
            }

            string na = Normalize(a!);
            string nb = Normalize(b!);
            StringComparison comparison = _environment.PathComparison;
            if (string.Equals(na, nb, comparison))
            {
                return true;
            }

            if (IsBareName(na) || IsBareName(nb))
            {
                return string.Equals(FileName(na), FileName(nb), comparison);
            }

            return false;
        }

        private bool IsRooted(string p)
        {
            if (_environment.Platform == OsPlatform.Windows)
            {
                return Regex.IsMatch(p, @"^([A-Za-z]:\\|\\\\)");
            }

            return p.StartsWith("/", StringComparison.Ordinal);
        }

        private static bool IsBareName(string p) => p.IndexOf('/') < 0 && p.IndexOf('\\') < 0;

        private static string FileName(string p)
        {
            int cut = Math.Max(p.LastIndexOf('/'), p.LastIndexOf('\\'));
            return cut >= 0 ? p.Substring(cut + 1) : p;
        }
    }
}
