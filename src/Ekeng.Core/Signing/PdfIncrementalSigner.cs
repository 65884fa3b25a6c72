using System.Text.RegularExpressions;
using Ekeng.Diagnostics;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace Ekeng.Signing
{
    /// <summary>
    /// Adds a PAdES signature to a PDF as an INCREMENTAL UPDATE: the original bytes stay as they are (an earlier
    /// signature, whose /ByteRange covers them, stays valid) and a new revision is appended with an invisible signature
    /// field (widget on the first page), the signature dictionary (/Filter /Adobe.PPKLite, /SubFilter
    /// /ETSI.CAdES.detached, /M, /Reason, /Location, /ByteRange, /Contents), the catalog or AcroForm that lists the
    /// field, a cross-reference section and a trailer whose /Prev is the last one's. PDFsharp only READS the structure
    /// (catalog, first page, AcroForm); the update is written here.
    /// </summary>
    internal static class PdfIncrementalSigner
    {
        private const string ByteRangePlaceholder = "[0 ********** ********** **********]";
        private static readonly Regex SizeEntry = new Regex(@"/Size\s+(\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex IdEntry = new Regex(@"/ID\s*\[[^\]]*\]", RegexOptions.CultureInvariant);
        private static readonly Regex InfoEntry = new Regex(@"/Info\s+(\d+\s+\d+\s+R)", RegexOptions.CultureInvariant);
        private static readonly Regex RootEntry = new Regex(@"/Root\s+(\d+)\s+(\d+)\s+R", RegexOptions.CultureInvariant);
        private static readonly Regex EncryptEntry = new Regex(@"/Encrypt\b", RegexOptions.CultureInvariant);

        /// <summary>Checks that <paramref name="pdf"/> can be signed (readable, not encrypted) and appends the update with an empty /Contents.</summary>
        public static PreparedPdf Prepare(byte[] pdf, PdfSignatureOptions options, string path)
        {
            if (pdf.Length < 8 || Encoding.ASCII.GetString(pdf, 0, 5) != "%PDF-")
            {
                throw Damaged(path, "it does not start with %PDF-");
            }

            int startXref = FindStartXref(pdf) ?? throw Damaged(path, "its last 'startxref' is missing or points outside the file");
            string trailer = ReadTrailer(pdf, startXref) ?? throw Damaged(path, "its last cross-reference section (at 'startxref') cannot be read");
            if (EncryptEntry.IsMatch(trailer))
            {
                throw new EkengException(SigningErrors.PdfEncrypted, $"'{path}' is encrypted (password protected); it was not signed.")
                {
                    TargetObject = path,
                };
            }

            PdfDocument document;
            try
            {
                document = PdfReader.Open(new MemoryStream(pdf, false), PdfDocumentOpenMode.Import);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                throw Damaged(path, "PDFsharp cannot read it: " + e.Message.TrimEnd('.'));
            }

            using (document)
            {
                try
                {
                    return Append(pdf, startXref, trailer, document, options, path);
                }
                catch (NotSupportedException e)
                {
                    throw Damaged(path, "its structure cannot be updated: " + e.Message.TrimEnd('.'));
                }
            }
        }

        /// <summary>The finished PDF: <paramref name="cms"/> in hexadecimal in the hole (padded with zeros).</summary>
        public static byte[] Complete(PreparedPdf prepared, byte[] cms)
        {
            int room = (prepared.HoleEnd - prepared.HoleStart - 2) / 2;
            if (cms.Length > room)
            {
                throw new InvalidOperationException($"The signature ({cms.Length} bytes) is larger than the room reserved ({room} bytes).");
            }

            byte[] result = (byte[])prepared.Bytes.Clone();
            const string digits = "0123456789abcdef";
            int at = prepared.HoleStart + 1;
            foreach (byte b in cms)
            {
                result[at++] = (byte)digits[b >> 4];
                result[at++] = (byte)digits[b & 0xF];
            }

            return result;
        }

        /// <summary>The bytes a PAdES signature covers: everything but the hole.</summary>
        public static byte[] SignedBytesHash(PreparedPdf prepared)
        {
            using (var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256))
            {
                sha.AppendData(prepared.Bytes, 0, prepared.HoleStart);
                sha.AppendData(prepared.Bytes, prepared.HoleEnd, prepared.Bytes.Length - prepared.HoleEnd);
                return sha.GetHashAndReset();
            }
        }

        private static PreparedPdf Append(byte[] pdf, int startXref, string trailer, PdfDocument document, PdfSignatureOptions options, string path)
        {
            PdfDictionary catalog = document.Internals.Catalog;
            if (catalog.Reference is null || document.PageCount == 0 || document.Pages[0].Reference is null)
            {
                throw Damaged(path, "it has no catalog or no page");
            }

            Match root = RootEntry.Match(trailer);
            if (root.Success && int.Parse(root.Groups[1].Value, CultureInfo.InvariantCulture) != Num(catalog))
            {
                throw Damaged(path, "its trailer names another catalog than the one read");
            }

            int size = SizeEntry.Match(trailer) is Match m && m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            int maxObject = document.Internals.GetAllObjects().Select(o => Num(o)).DefaultIfEmpty(0).Max();
            int next = Math.Max(size, maxObject + 1);
            int fieldNumber = next++;
            int signatureNumber = next++;
            string fieldRef = $"{fieldNumber} 0 R";

            var objects = new SortedDictionary<int, (int Generation, string Body)>();
            PdfPage page = document.Pages[0];

            // The widget on the first page: /Annots extended (the array itself when it is an indirect object).
            PdfItem? annots = page.Elements["/Annots"];
            if (annots is PdfReference annotsRef && annotsRef.Value is PdfArray indirectAnnots)
            {
                objects[annotsRef.ObjectNumber] = (annotsRef.GenerationNumber, ArrayWith(indirectAnnots, fieldRef));
            }
            else
            {
                string value = annots is PdfArray direct ? ArrayWith(direct, fieldRef) : $"[{fieldRef}]";
                objects[Num(page)] = (Gen(page), Dictionary(page, "/Annots", value));
            }

            // The field in the AcroForm's /Fields, /SigFlags 3 (signatures exist, append only).
            var names = new HashSet<string>(StringComparer.Ordinal);
            PdfItem? acroFormItem = catalog.Elements["/AcroForm"];
            PdfDictionary? acroForm = acroFormItem is PdfReference acroRef ? acroRef.Value as PdfDictionary : acroFormItem as PdfDictionary;
            string acroFormBody;
            if (acroForm != null)
            {
                PdfItem? fields = acroForm.Elements["/Fields"];
                PdfArray? fieldArray = fields is PdfReference fieldsRef ? fieldsRef.Value as PdfArray : fields as PdfArray;
                foreach (PdfItem f in fieldArray?.Elements ?? Enumerable.Empty<PdfItem>())
                {
                    if ((f is PdfReference fr ? fr.Value : f) is PdfDictionary field && field.Elements.GetString("/T") is string t && t.Length > 0)
                    {
                        names.Add(t);
                    }
                }

                string? fieldsValue = null;
                if (fields is PdfReference fieldsRef2 && fieldArray != null)
                {
                    objects[fieldsRef2.ObjectNumber] = (fieldsRef2.GenerationNumber, ArrayWith(fieldArray, fieldRef));
                }
                else
                {
                    fieldsValue = fieldArray != null ? ArrayWith(fieldArray, fieldRef) : $"[{fieldRef}]";
                }

                int sigFlags = acroForm.Elements["/SigFlags"] is PdfInteger flags ? flags.Value : 0;
                var text = new StringBuilder();
                PdfObjectWriter.AppendDictionary(text, acroForm, key => key == "/Fields" ? fieldsValue : key == "/SigFlags" ? string.Empty : null);
                text.Length -= 2;
                if (fieldsValue != null && acroForm.Elements["/Fields"] is null)
                {
                    text.Append("/Fields ").Append(fieldsValue).Append('\n');
                }

                text.Append("/SigFlags ").Append((sigFlags | 3).ToString(CultureInfo.InvariantCulture)).Append("\n>>");
                acroFormBody = text.ToString();
                if (acroFormItem is PdfReference acroRef2)
                {
                    objects[acroRef2.ObjectNumber] = (acroRef2.GenerationNumber, acroFormBody);
                }
                else
                {
                    objects[Num(catalog)] = (Gen(catalog), Dictionary(catalog, "/AcroForm", acroFormBody));
                }
            }
            else
            {
                int acroFormNumber = next++;
                objects[acroFormNumber] = (0, $"<</Fields [{fieldRef}]\n/SigFlags 3\n>>");
                objects[Num(catalog)] = (Gen(catalog), Dictionary(catalog, "/AcroForm", $"{acroFormNumber} 0 R"));
            }

            int index = 1;
            string fieldName;
            do
            {
                fieldName = "Signature" + index.ToString(CultureInfo.InvariantCulture);
                index++;
            }
            while (names.Contains(fieldName));

            string rect = "[0 0 0 0]";
            string appearance = string.Empty;
            if (options.VisibleLines != null)
            {
                int appearanceNumber = next++;
                rect = "[36 36 300 96]";
                appearance = $"\n/AP <</N {appearanceNumber} 0 R>>";
                objects[appearanceNumber] = (0, AppearanceStream(options.VisibleLines, 264, 60));
            }

            objects[fieldNumber] = (0, "<</Type /Annot\n/Subtype /Widget\n/FT /Sig\n/T " + PdfObjectWriter.TextString(fieldName)
                + $"\n/V {signatureNumber} 0 R\n/F 132\n/Rect {rect}{appearance}\n/P {Num(page)} {Gen(page)} R\n>>");

            var signature = new StringBuilder("<</Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n");
            signature.Append("/M ").Append(PdfDate(options.SigningTime)).Append('\n');
            if (!string.IsNullOrEmpty(options.Reason))
            {
                signature.Append("/Reason ").Append(PdfObjectWriter.TextString(options.Reason!)).Append('\n');
            }

            if (!string.IsNullOrEmpty(options.Location))
            {
                signature.Append("/Location ").Append(PdfObjectWriter.TextString(options.Location!)).Append('\n');
            }

            signature.Append("/ByteRange ").Append(ByteRangePlaceholder).Append("\n/Contents <").Append('0', options.ReservedBytes * 2).Append(">\n>>");
            objects[signatureNumber] = (0, signature.ToString());

            // The update: objects, cross-reference section, trailer.
            var update = new StringBuilder();
            bool endsWithEol = pdf[pdf.Length - 1] == '\n' || pdf[pdf.Length - 1] == '\r';
            if (!endsWithEol)
            {
                update.Append('\n');
            }

            var offsets = new SortedDictionary<int, (int Generation, long Offset)>();
            foreach (KeyValuePair<int, (int Generation, string Body)> o in objects)
            {
                offsets[o.Key] = (o.Value.Generation, pdf.Length + update.Length);
                update.Append(o.Key.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(o.Value.Generation.ToString(CultureInfo.InvariantCulture))
                    .Append(" obj\n").Append(o.Value.Body).Append("\nendobj\n");
            }

            long xrefOffset = pdf.Length + update.Length;
            update.Append("xref\n");
            foreach (KeyValuePair<int, (int Generation, long Offset)> o in offsets)
            {
                update.Append(o.Key.ToString(CultureInfo.InvariantCulture)).Append(" 1\n")
                    .Append(o.Value.Offset.ToString("D10", CultureInfo.InvariantCulture)).Append(' ')
                    .Append(o.Value.Generation.ToString("D5", CultureInfo.InvariantCulture)).Append(" n\r\n");
            }

            update.Append("trailer\n<</Size ").Append(next.ToString(CultureInfo.InvariantCulture))
                .Append($"\n/Root {Num(catalog)} {Gen(catalog)} R\n/Prev ").Append(startXref.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (InfoEntry.Match(trailer) is Match info && info.Success)
            {
                update.Append("/Info ").Append(info.Groups[1].Value).Append('\n');
            }

            if (IdEntry.Match(trailer) is Match id && id.Success)
            {
                update.Append(id.Value).Append('\n');
            }

            update.Append(">>\nstartxref\n").Append(xrefOffset.ToString(CultureInfo.InvariantCulture)).Append("\n%%EOF\n");

            byte[] tail = Encoding.GetEncoding("ISO-8859-1").GetBytes(update.ToString());
            var bytes = new byte[pdf.Length + tail.Length];
            Buffer.BlockCopy(pdf, 0, bytes, 0, pdf.Length);
            Buffer.BlockCopy(tail, 0, bytes, pdf.Length, tail.Length);

            int signatureAt = (int)offsets[signatureNumber].Offset;
            int byteRangeAt = IndexOf(bytes, Encoding.ASCII.GetBytes(ByteRangePlaceholder), signatureAt);
            int holeStart = IndexOf(bytes, Encoding.ASCII.GetBytes("/Contents <"), signatureAt) + "/Contents ".Length;
            int holeEnd = holeStart + (options.ReservedBytes * 2) + 2;
            string range = $"[0 {holeStart} {holeEnd} {bytes.Length - holeEnd}";
            byte[] rangeBytes = Encoding.ASCII.GetBytes(range.PadRight(ByteRangePlaceholder.Length - 1) + "]");
            Buffer.BlockCopy(rangeBytes, 0, bytes, byteRangeAt, rangeBytes.Length);
            return new PreparedPdf(bytes, holeStart, holeEnd, fieldName);
        }

        private static int Num(PdfObject o) => o.Reference?.ObjectNumber ?? 0;

        private static int Gen(PdfObject o) => o.Reference?.GenerationNumber ?? 0;

        /// <summary>A form XObject: a thin frame and the lines in Helvetica 9 pt (WinAnsi; other characters as '?').</summary>
        internal static string AppearanceStream(string[] lines, int width, int height)
        {
            var content = new StringBuilder();
            content.Append(FormattableString.Invariant($"0.2 0.3 0.6 RG 0.8 w 0.4 0.4 {width - 0.8} {height - 0.8} re S\nBT /F1 9 Tf 0 g 6 {height - 14} Td 11 TL\n"));
            foreach (string line in lines.Take(4))
            {
                content.Append('(');
                foreach (char c in line)
                {
                    char shown = c < 0x20 || c > 0xFF ? '?' : c;
                    if (shown == '(' || shown == ')' || shown == '\\')
                    {
                        content.Append('\\');
                    }

                    content.Append(shown);
                }

                content.Append(") Tj T*\n");
            }

            content.Append("ET");
            string stream = content.ToString();
            int length = Encoding.GetEncoding("ISO-8859-1").GetByteCount(stream);
            return FormattableString.Invariant($"<</Type /XObject\n/Subtype /Form\n/BBox [0 0 {width} {height}]\n/Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>>>>>\n/Length {length}\n>>\nstream\n") + stream + "\nendstream";
        }

        private static string ArrayWith(PdfArray array, string reference)
        {
            var text = new StringBuilder("[");
            foreach (PdfItem element in array.Elements)
            {
                PdfObjectWriter.Append(text, element);
                text.Append(' ');
            }

            return text.Append(reference).Append(']').ToString();
        }

        /// <summary>The dictionary with <paramref name="key"/> set to <paramref name="value"/> (added when absent).</summary>
        private static string Dictionary(PdfDictionary dictionary, string key, string value)
        {
            var text = new StringBuilder();
            PdfObjectWriter.AppendDictionary(text, dictionary, k => k == key ? value : null);
            if (dictionary.Elements[key] is null)
            {
                text.Length -= 2;
                text.Append(key).Append(' ').Append(value).Append("\n>>");
            }

            return text.ToString();
        }

        /// <summary>A PDF date in UTC: (D:YYYYMMDDHHmmSS+00'00').</summary>
        internal static string PdfDate(DateTime time) =>
            "(D:" + time.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00')";

        /// <summary>The offset the last 'startxref' gives, or null when it is missing or outside the file.</summary>
        internal static int? FindStartXref(byte[] pdf)
        {
            int from = Math.Max(0, pdf.Length - 2048);
            string tail = Encoding.ASCII.GetString(pdf, from, pdf.Length - from);
            int at = tail.LastIndexOf("startxref", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            Match number = Regex.Match(tail.Substring(at + 9), @"^\s*(\d{1,10})");
            if (!number.Success || !long.TryParse(number.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long offset) || offset <= 0 || offset >= pdf.Length - 4)
            {
                return null;
            }

            return (int)offset;
        }

        /// <summary>The trailer dictionary (classic section) or the cross-reference stream's dictionary at <paramref name="offset"/>.</summary>
        private static string? ReadTrailer(byte[] pdf, int offset)
        {
            int length = Math.Min(pdf.Length - offset, 1 << 22);
            string text = Encoding.GetEncoding("ISO-8859-1").GetString(pdf, offset, length);
            if (text.StartsWith("xref", StringComparison.Ordinal))
            {
                int trailer = text.IndexOf("trailer", StringComparison.Ordinal);
                if (trailer < 0)
                {
                    return null;
                }

                int end = text.IndexOf("startxref", trailer, StringComparison.Ordinal);
                return end < 0 ? text.Substring(trailer) : text.Substring(trailer, end - trailer);
            }

            if (Regex.IsMatch(text, @"^\d+\s+\d+\s+obj"))
            {
                int stream = text.IndexOf("stream", StringComparison.Ordinal);
                string dictionary = stream < 0 ? text.Substring(0, Math.Min(text.Length, 4096)) : text.Substring(0, stream);
                return dictionary.Contains("/XRef") ? dictionary : null;
            }

            return null;
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from)
        {
            for (int i = from; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        internal static EkengException Damaged(string path, string why) =>
            new EkengException(SigningErrors.PdfDamaged, $"'{path}' is not a readable PDF ({why}); it was not signed.")
            {
                TargetObject = path,
            };
    }
}
