using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>
    /// The NSS module list of a profile (pkcs11.txt): key=value lines, modules separated by a blank line, '#'
    /// comments (NSS's utilmod.c reads it that way). Edits change only the lines of the module concerned: every other
    /// byte of the file, line endings included, stays as it was.
    /// </summary>
    public sealed class Pkcs11Txt
    {
        /// <summary>NSS reads lines with a 2,048-byte buffer: a longer line would be cut in two.</summary>
        public const int MaxLineBytes = 2047;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private readonly List<string> _lines;

        private readonly bool _byteOrderMark;

        private Pkcs11Txt(List<string> lines, string newLine, string fileName, bool byteOrderMark = false)
        {
            _byteOrderMark = byteOrderMark;
            _lines = lines;
            NewLine = newLine;
            FileName = fileName;
            Modules = ParseModules();
        }

        /// <summary>The line ending of the file (the first one found), used for added lines.</summary>
        public string NewLine { get; }

        public string FileName { get; }

        public IReadOnlyList<Pkcs11TxtModule> Modules { get; private set; }

        /// <summary>The modules that are not NSS's internal one: the security devices.</summary>
        public IEnumerable<Pkcs11TxtModule> ExternalModules => Modules.Where(m => !m.IsInternal);

        /// <summary>An empty module list (a profile whose pkcs11.txt does not exist yet).</summary>
        public static Pkcs11Txt Empty(string fileName, string newLine) => new Pkcs11Txt(new List<string>(), newLine, fileName);

        /// <summary>Parses the file's bytes; anything NSS would misread fails with Pkcs11TxtCorrupt naming the line.</summary>
        public static Pkcs11Txt Parse(byte[] content, string fileName, string defaultNewLine = "\n")
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(content);
            }
            catch (DecoderFallbackException e)
            {
                throw Corrupt(fileName, 1 + content.Take(Math.Max(0, e.Index)).Count(b => b == (byte)'\n'), "it is not UTF-8 text");
            }

            // A UTF-8 byte order mark is not part of the first key ("\uFEFFlibrary" is not "library"): it is set
            // aside for parsing and written back in front, so the file keeps every byte.
            bool byteOrderMark = text.Length > 0 && text[0] == '\uFEFF';
            if (byteOrderMark)
            {
                text = text.Substring(1);
            }

            // Lines keep their own terminators so that the file is rebuilt byte for byte.
            var lines = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    lines.Add(text.Substring(start, i - start + 1));
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                lines.Add(text.Substring(start));
            }

            string newLine = defaultNewLine;
            string? first = lines.FirstOrDefault(l => l.EndsWith("\n", StringComparison.Ordinal));
            if (first != null)
            {
                newLine = first.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            }

            for (int i = 0; i < lines.Count; i++)
            {
                string body = Body(lines[i]);
                if (body.IndexOf('\0') >= 0)
                {
                    throw Corrupt(fileName, i + 1, "it contains NUL bytes");
                }

                if (StrictUtf8.GetByteCount(lines[i]) > MaxLineBytes)
                {
                    throw Corrupt(fileName, i + 1, $"a line is longer than the {MaxLineBytes} bytes NSS reads");
                }

                if (body.Length > 0 && body[0] != '#' && body.IndexOf('=') <= 0)
                {
                    throw Corrupt(fileName, i + 1, "a line is not a key=value pair");
                }
            }

            var parsed = new Pkcs11Txt(lines, newLine, fileName, byteOrderMark);
            foreach (Pkcs11TxtModule module in parsed.Modules)
            {
                if (module.Library is null && module.Name is null)
                {
                    throw Corrupt(fileName, module.StartLine + 1, "a module has neither library= nor name=");
                }
            }

            return parsed;
        }

        /// <summary>The file's bytes as they are now.</summary>
        public byte[] ToBytes() => Encoding.UTF8.GetBytes((_byteOrderMark ? "\uFEFF" : string.Empty) + string.Concat(_lines));

        public override string ToString() => string.Concat(_lines);

        /// <summary>Appends a module block as NSS writes one: library=, name=, then a blank line.</summary>
        public void AddModule(string name, string library)
        {
            CheckValue(name, nameof(name));
            CheckValue(library, nameof(library));
            if (_lines.Count > 0)
            {
                string last = _lines[_lines.Count - 1];
                if (!last.EndsWith("\n", StringComparison.Ordinal))
                {
                    _lines[_lines.Count - 1] = last + NewLine;
                    last = _lines[_lines.Count - 1];
                }

                // The last module must be closed by a blank line, or the new lines would join it.
                if (Body(last).Length > 0)
                {
                    _lines.Add(NewLine);
                }
            }

            _lines.Add("library=" + library + NewLine);
            _lines.Add("name=" + name + NewLine);
            _lines.Add(NewLine);
            Modules = ParseModules();
        }

        /// <summary>Points an existing module at another library; its other lines stay as they are.</summary>
        public void SetLibrary(Pkcs11TxtModule module, string library)
        {
            CheckValue(library, nameof(library));
            if (module.LibraryLine < 0)
            {
                _lines.Insert(module.StartLine, "library=" + library + NewLine);
            }
            else
            {
                string line = _lines[module.LibraryLine];
                string terminator = line.Substring(Body(line).Length);
                _lines[module.LibraryLine] = "library=" + library + (terminator.Length > 0 ? terminator : NewLine);
            }

            Modules = ParseModules();
        }

        /// <summary>Removes a module block and the blank line that closes it.</summary>
        public void RemoveModule(Pkcs11TxtModule module)
        {
            if (module.IsInternal)
            {
                throw new InvalidOperationException("NSS's internal module is never removed.");
            }

            int end = module.EndLine;
            if (end < _lines.Count && Body(_lines[end]).Length == 0)
            {
                end++;
            }

            _lines.RemoveRange(module.StartLine, end - module.StartLine);
            Modules = ParseModules();
        }

        private List<Pkcs11TxtModule> ParseModules()
        {
            var modules = new List<Pkcs11TxtModule>();
            int i = 0;
            while (i < _lines.Count)
            {
                if (Body(_lines[i]).Length == 0)
                {
                    i++;
                    continue;
                }

                int start = i;
                string? library = null;
                string? name = null;
                int libraryLine = -1;
                bool internalFlag = false;
                bool hasContent = false;
                while (i < _lines.Count && Body(_lines[i]).Length > 0)
                {
                    string body = Body(_lines[i]);
                    if (body[0] != '#')
                    {
                        int eq = body.IndexOf('=');
                        if (eq > 0)
                        {
                            hasContent = true;
                            string key = body.Substring(0, eq);
                            string value = Unquote(body.Substring(eq + 1));
                            if (key.Equals("library", StringComparison.OrdinalIgnoreCase) && libraryLine < 0)
                            {
                                library = value;
                                libraryLine = i;
                            }
                            else if (key.Equals("name", StringComparison.OrdinalIgnoreCase) && name is null)
                            {
                                name = value;
                            }
                            else if (key.Equals("NSS", StringComparison.OrdinalIgnoreCase) && value.IndexOf("internal", StringComparison.OrdinalIgnoreCase) >= 0)
                            {
                                internalFlag = true;
                            }
                        }
                    }

                    i++;
                }

                if (!hasContent)
                {
                    // A run of comments only: not a module.
                    continue;
                }

                bool isInternal = internalFlag || (libraryLine >= 0 && string.IsNullOrEmpty(library));
                modules.Add(new Pkcs11TxtModule(start, i, string.IsNullOrEmpty(library) ? null : library, name, libraryLine, isInternal));
            }

            return modules;
        }

        private static string Body(string line)
        {
            if (line.EndsWith("\r\n", StringComparison.Ordinal))
            {
                return line.Substring(0, line.Length - 2);
            }

            return line.EndsWith("\n", StringComparison.Ordinal) || line.EndsWith("\r", StringComparison.Ordinal) ? line.Substring(0, line.Length - 1) : line;
        }

        /// <summary>A value NSS reads as quoted ("...", with \" and \\ escapes) loses its quotes; others stay raw.</summary>
        internal static string Unquote(string value)
        {
            if (value.Length < 2 || value[0] != '"')
            {
                return value;
            }

            var sb = new StringBuilder();
            for (int i = 1; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '\\' && i + 1 < value.Length)
                {
                    sb.Append(value[++i]);
                }
                else if (c == '"')
                {
                    break;
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        private static void CheckValue(string value, string parameter)
        {
            if (string.IsNullOrEmpty(value) || value.IndexOf('\n') >= 0 || value.IndexOf('\r') >= 0 || value.IndexOf('\0') >= 0 || value[0] == '"')
            {
                throw new ArgumentException($"'{value}' cannot be written to pkcs11.txt (empty, a line break, NUL or a leading quote).", parameter);
            }
        }

        private static EkengException Corrupt(string fileName, int line, string reason)
        {
            var error = new EkengException(BrowserErrors.Pkcs11TxtCorrupt, $"'{fileName}' is corrupt at line {line}: {reason}. The file was left untouched.")
            {
                TargetObject = fileName,
            };
            return error;
        }
    }
}
