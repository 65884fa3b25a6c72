using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Reads a Mozilla profiles.ini: every [ProfileN] section, however many (OpenSC's pkcs11-register stopped after
    /// 78 of 1,000, docs/ARCHITECTURE.md#firefox-facts). Read only: this module never writes profiles.ini.
    /// </summary>
    public static class ProfilesIni
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Parses the bytes of a profiles.ini; a file that is not an INI file fails with ProfilesIniCorrupt naming the line.</summary>
        public static IReadOnlyList<ProfilesIniEntry> Parse(byte[] content, string fileName)
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(content);
            }
            catch (DecoderFallbackException e)
            {
                throw Corrupt(fileName, LineOfByte(content, e.Index), "it is not UTF-8 text");
            }

            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            var entries = new List<ProfilesIniEntry>();
            string? section = null;
            int sectionLine = 0;
            Dictionary<string, string>? values = null;
            int lineNumber = 0;
            using (var reader = new StringReader(text))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    lineNumber++;
                    if (line.IndexOf('\0') >= 0)
                    {
                        throw Corrupt(fileName, lineNumber, "it contains NUL bytes");
                    }

                    string trimmed = line.Trim();
                    if (trimmed.Length == 0 || trimmed[0] == ';' || trimmed[0] == '#')
                    {
                        continue;
                    }

                    if (trimmed[0] == '[')
                    {
                        if (trimmed[trimmed.Length - 1] != ']' || trimmed.Length < 3)
                        {
                            throw Corrupt(fileName, lineNumber, "a section header is not closed by ']'");
                        }

                        Flush(entries, section, sectionLine, values);
                        section = trimmed.Substring(1, trimmed.Length - 2).Trim();
                        sectionLine = lineNumber;
                        values = new Dictionary<string, string>(StringComparer.Ordinal);
                        continue;
                    }

                    int eq = line.IndexOf('=');
                    if (eq <= 0)
                    {
                        throw Corrupt(fileName, lineNumber, "a line is neither a [section] nor a key=value pair");
                    }

                    if (section is null || values is null)
                    {
                        throw Corrupt(fileName, lineNumber, "a key=value pair comes before any [section]");
                    }

                    string key = line.Substring(0, eq).Trim();
                    string value = line.Substring(eq + 1).Trim();
                    values[key] = value;
                }
            }

            Flush(entries, section, sectionLine, values);
            return entries;
        }

        /// <summary>Reads and parses a profiles.ini file.</summary>
        public static IReadOnlyList<ProfilesIniEntry> Read(string path)
        {
            byte[] content;
            try
            {
                content = SafeFile.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var error = new EkengException(BrowserErrors.ProfilesIniUnreadable, $"Cannot read '{path}': {e.Message}", e)
                {
                    TargetObject = path,
                };
                throw error;
            }

            return Parse(content, path);
        }

        private static void Flush(List<ProfilesIniEntry> entries, string? section, int line, Dictionary<string, string>? values)
        {
            if (section is null || values is null || !section.StartsWith("Profile", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            values.TryGetValue("Name", out string? name);
            values.TryGetValue("Path", out string? path);
            bool isRelative = values.TryGetValue("IsRelative", out string? rel) && rel.Trim() == "1";
            bool isDefault = values.TryGetValue("Default", out string? def) && def.Trim() == "1";
            entries.Add(new ProfilesIniEntry(section, name, string.IsNullOrWhiteSpace(path) ? null : path, isRelative, isDefault, line));
        }

        private static int LineOfByte(byte[] content, int index)
        {
            int line = 1;
            for (int i = 0; i < index && i < content.Length; i++)
            {
                if (content[i] == (byte)'\n')
                {
                    line++;
                }
            }

            return line;
        }

        private static EkengException Corrupt(string fileName, int line, string reason)
        {
            var error = new EkengException(BrowserErrors.ProfilesIniCorrupt, $"'{fileName}' is corrupt at line {line}: {reason}. Its profiles were not read; the file was left untouched.")
            {
                TargetObject = fileName,
            };
            return error;
        }
    }
}
