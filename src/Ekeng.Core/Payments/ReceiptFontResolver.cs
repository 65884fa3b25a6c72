using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Ekeng.Payments
{
    /// <summary>PDFsharp's font source for the receipt: one family, regular and bold, from <see cref="ReceiptFonts"/>' files.</summary>
    internal sealed class ReceiptFontResolver : IFontResolver
    {
        public const string FamilyName = "EkengReceipt";
        private const string RegularFace = FamilyName + "#Regular";
        private const string BoldFace = FamilyName + "#Bold";

        private readonly ReceiptFonts _fonts;
        private readonly ConcurrentDictionary<string, byte[]> _cache = new ConcurrentDictionary<string, byte[]>();

        public ReceiptFontResolver(ReceiptFonts fonts)
        {
            _fonts = fonts;
        }

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        {
            if (bold)
            {
                return _fonts.BoldPath != null ? new FontResolverInfo(BoldFace) : new FontResolverInfo(RegularFace, true, italic);
            }

            return new FontResolverInfo(RegularFace, false, italic);
        }

        public byte[]? GetFont(string faceName) =>
            _cache.GetOrAdd(faceName, face => File.ReadAllBytes(face == BoldFace && _fonts.BoldPath != null ? _fonts.BoldPath : _fonts.RegularPath));
    }
}
