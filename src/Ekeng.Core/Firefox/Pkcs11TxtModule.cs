namespace Ekeng.Firefox
{
    /// <summary>One module block of a pkcs11.txt: its lines (start inclusive, end exclusive) and its library and name.</summary>
    public sealed class Pkcs11TxtModule
    {
        internal Pkcs11TxtModule(int startLine, int endLine, string? library, string? name, int libraryLine, bool isInternal)
        {
            StartLine = startLine;
            EndLine = endLine;
            Library = library;
            Name = name;
            LibraryLine = libraryLine;
            IsInternal = isInternal;
        }

        /// <summary>Index of the block's first line.</summary>
        public int StartLine { get; }

        /// <summary>Index of the line after the block's last line.</summary>
        public int EndLine { get; }

        public string? Library { get; }

        public string? Name { get; }

        /// <summary>Index of the library= line, -1 when the block has none.</summary>
        public int LibraryLine { get; }

        /// <summary>NSS's own module (NSS=Flags=internal, or an empty library=): never touched.</summary>
        public bool IsInternal { get; }
    }
}
