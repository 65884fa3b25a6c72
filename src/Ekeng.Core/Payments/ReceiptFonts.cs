using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Payments
{
    /// <summary>
    /// The TrueType files of the receipt's font, which must have the Armenian letters (Arial and Segoe UI have none):
    /// EKENG_RECEIPT_FONT (a .ttf path; bold is simulated unless a "-Bold" sibling exists), else DejaVu Sans (Debian's
    /// fonts-dejavu-core and other Linux layouts), Sylfaen (ships with Windows), Arial Unicode (macOS).
    /// </summary>
    public sealed class ReceiptFonts
    {
        public const string EnvironmentVariable = "EKENG_RECEIPT_FONT";

        public ReceiptFonts(string regularPath, string? boldPath)
        {
            RegularPath = regularPath;
            BoldPath = boldPath;
        }

        public string RegularPath { get; }

        /// <summary>Null: bold is simulated from the regular face.</summary>
        public string? BoldPath { get; }

        /// <summary>The places looked at, in order (regular, bold).</summary>
        public static IReadOnlyList<(string Regular, string? Bold)> Candidates()
        {
            var list = new List<(string, string?)>();
            string? custom = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(custom))
            {
                list.Add((custom!, BoldSibling(custom!)));
                return list;
            }

            if (HostOs.IsWindows)
            {
                string windir = Environment.GetEnvironmentVariable("WINDIR") ?? @"C:\Windows";
                list.Add((Path.Combine(windir, "Fonts", "sylfaen.ttf"), null));
                string? local = Environment.GetEnvironmentVariable("LOCALAPPDATA");
                if (!string.IsNullOrEmpty(local))
                {
                    list.Add((Path.Combine(local, "Microsoft", "Windows", "Fonts", "DejaVuSans.ttf"), Path.Combine(local, "Microsoft", "Windows", "Fonts", "DejaVuSans-Bold.ttf")));
                }

                return list;
            }

            foreach (string dir in new[] { "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts" })
            {
                list.Add((dir + "/DejaVuSans.ttf", dir + "/DejaVuSans-Bold.ttf"));
            }

            list.Add(("/Library/Fonts/Arial Unicode.ttf", null));
            list.Add(("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", null));
            return list;
        }

        /// <summary>The first candidate whose regular file exists; ReceiptFontNotFound otherwise.</summary>
        public static ReceiptFonts Find()
        {
            IReadOnlyList<(string Regular, string? Bold)> candidates = Candidates();
            foreach ((string regular, string? bold) in candidates)
            {
                if (File.Exists(regular))
                {
                    return new ReceiptFonts(regular, bold != null && File.Exists(bold) ? bold : null);
                }
            }

            throw new EkengException(FeeErrors.ReceiptFontNotFound, "No font with Armenian letters was found for the receipt; looked for: " + string.Join(", ", candidates.Select(c => c.Regular)) + ".")
            {
                RecommendedAction = $"Install DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core), or set {EnvironmentVariable} to a .ttf file that has Armenian letters (e.g. Sylfaen, Noto Sans Armenian).",
            };
        }

        private static string? BoldSibling(string path)
        {
            string ext = Path.GetExtension(path);
            string bold = path.Substring(0, path.Length - ext.Length) + "-Bold" + ext;
            return bold;
        }
    }
}
