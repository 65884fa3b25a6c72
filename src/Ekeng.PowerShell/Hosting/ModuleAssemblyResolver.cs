using System.Reflection;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, which binds a strong-named reference to that exact version and
    /// gives a module no binding redirects. The module's netstandard2.0 libraries were built against different versions
    /// of one dependency (PDFsharp and System.Text.Json against System.Memory 4.0.1.2 while 4.0.2.0 ships, for one), so
    /// this answers AppDomain.AssemblyResolve for them: a request for a version NO HIGHER than the file shipped in the
    /// module's own folder, with the same name, culture and public key token, gets that file, loaded at most once.
    /// Everything else (other folders, higher versions, other keys) is left to the runtime: null.
    /// </summary>
    internal sealed class ModuleAssemblyResolver
    {
        private readonly string _folder;
        private readonly Func<string, AssemblyName?> _readName;
        private readonly Func<string, Assembly> _load;
        private readonly object _gate = new object();
        private readonly Dictionary<string, AssemblyName?> _names = new Dictionary<string, AssemblyName?>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Assembly> _loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        public ModuleAssemblyResolver(string folder)
            : this(folder, ReadAssemblyName, Assembly.LoadFrom)
        {
        }

        /// <param name="folder">The module's own folder: the only place answered from.</param>
        /// <param name="readName">The identity of the file at a path, or null when there is none.</param>
        /// <param name="load">Loads the file at a path.</param>
        internal ModuleAssemblyResolver(string folder, Func<string, AssemblyName?> readName, Func<string, Assembly> load)
        {
            _folder = Path.GetFullPath(folder);
            _readName = readName;
            _load = load;
        }

        /// <summary>The folder answered from.</summary>
        public string Folder => _folder;

        /// <summary>How many files this resolver has loaded.</summary>
        public int LoadCount
        {
            get
            {
                lock (_gate)
                {
                    return _loaded.Count;
                }
            }
        }

        /// <summary>The AppDomain.AssemblyResolve handler.</summary>
        public Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args) => Resolve(args.Name);

        /// <summary>The shipped assembly that satisfies a requested full name, or null.</summary>
        public Assembly? Resolve(string? requestedName)
        {
            if (string.IsNullOrEmpty(requestedName))
            {
                return null;
            }

            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedName);
            }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException)
            {
                return null;
            }

            string? path = Choose(requested);
            if (path is null)
            {
                return null;
            }

            lock (_gate)
            {
                if (!_loaded.TryGetValue(path, out Assembly? assembly))
                {
                    assembly = _load(path);
                    _loaded[path] = assembly;
                }

                return assembly;
            }
        }

        /// <summary>
        /// The path of the file in the module's folder that .NET Framework may use for the request (same simple name,
        /// neutral culture, same public key token, shipped version at least the requested one), or null.
        /// </summary>
        public string? Choose(AssemblyName requested)
        {
            string? simpleName = requested.Name;
            if (string.IsNullOrEmpty(simpleName)
                || simpleName!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
                || simpleName.IndexOf("..", StringComparison.Ordinal) >= 0
                || !string.IsNullOrEmpty(requested.CultureName))
            {
                return null;
            }

            string path = Path.Combine(_folder, simpleName + ".dll");
            AssemblyName? shipped;
            lock (_gate)
            {
                if (!_names.TryGetValue(path, out shipped))
                {
                    shipped = _readName(path);
                    _names[path] = shipped;
                }
            }

            if (shipped is null
                || !string.Equals(shipped.Name, simpleName, StringComparison.OrdinalIgnoreCase)
                || !string.IsNullOrEmpty(shipped.CultureName)
                || !SameToken(requested.GetPublicKeyToken(), shipped.GetPublicKeyToken()))
            {
                return null;
            }

            if (requested.Version != null && (shipped.Version is null || requested.Version > shipped.Version))
            {
                return null;
            }

            return path;
        }

        private static bool SameToken(byte[]? requested, byte[]? shipped)
        {
            int requestedLength = requested?.Length ?? 0;
            int shippedLength = shipped?.Length ?? 0;
            if (requestedLength != shippedLength)
            {
                return false;
            }

            for (int i = 0; i < requestedLength; i++)
            {
                if (requested![i] != shipped![i])
                {
                    return false;
                }
            }

            return true;
        }

        private static AssemblyName? ReadAssemblyName(string path)
        {
            try
            {
                return File.Exists(path) ? AssemblyName.GetAssemblyName(path) : null;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return null;
            }
        }
    }
}
