using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace Ekeng.Signing
{
    /// <summary>
    /// Writes PDFsharp's parsed objects back in PDF syntax for an incremental update: a dictionary or array read from
    /// the file is written again with its indirect references as references (never inlined), names escaped, strings
    /// as hexadecimal (PDFDocEncoding bytes, or UTF-16BE with its byte order mark).
    /// </summary>
    internal static class PdfObjectWriter
    {
        public static string Write(PdfItem? item)
        {
            var text = new StringBuilder();
            Append(text, item);
            return text.ToString();
        }

        public static void Append(StringBuilder text, PdfItem? item)
        {
            switch (item)
            {
                case null:
                case PdfNull _:
                    text.Append("null");
                    break;
                case PdfReference reference:
                    text.Append(reference.ObjectNumber.ToString(CultureInfo.InvariantCulture)).Append(' ')
                        .Append(reference.GenerationNumber.ToString(CultureInfo.InvariantCulture)).Append(" R");
                    break;
                case PdfName name:
                    text.Append(Name(name.Value));
                    break;
                case PdfString s:
                    text.Append(TextString(s.Value));
                    break;
                case PdfBoolean b:
                    text.Append(b.Value ? "true" : "false");
                    break;
                case PdfInteger i:
                    text.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case PdfLongInteger l:
                    text.Append(l.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case PdfReal r:
                    text.Append(Number(r.Value));
                    break;
                case PdfRectangle rectangle:
                    text.Append('[').Append(Number(rectangle.X1)).Append(' ').Append(Number(rectangle.Y1)).Append(' ')
                        .Append(Number(rectangle.X2)).Append(' ').Append(Number(rectangle.Y2)).Append(']');
                    break;
                case PdfArray array:
                    text.Append('[');
                    foreach (PdfItem element in array.Elements)
                    {
                        Append(text, element);
                        text.Append(' ');
                    }

                    text.Append(']');
                    break;
                case PdfDictionary dictionary:
                    if (dictionary.IsIndirect && dictionary.Reference != null && text.Length > 0)
                    {
                        Append(text, dictionary.Reference);
                        break;
                    }

                    AppendDictionary(text, dictionary, null);
                    break;
                default:
                    throw new NotSupportedException($"A PDF object of type {item.GetType().Name} cannot be written in an update.");
            }
        }

        private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

        /// <summary>The dictionary's entries, with <paramref name="replace"/> deciding per key (null keeps the parsed value, "" drops the key).</summary>
        public static void AppendDictionary(StringBuilder text, PdfDictionary dictionary, Func<string, string?>? replace)
        {
            text.Append("<<");
            foreach (string key in dictionary.Elements.Keys.ToList())
            {
                string? value = replace?.Invoke(key);
                if (value == string.Empty)
                {
                    continue;
                }

                text.Append(Name(key)).Append(' ');
                if (value != null)
                {
                    text.Append(value);
                }
                else
                {
                    // The raw element: an indirect object stays a reference.
                    Append(text, dictionary.Elements[key]);
                }

                text.Append('\n');
            }

            text.Append(">>");
        }

        /// <summary>A name with the characters PDF needs escaped written as #xx (UTF-8 bytes).</summary>
        public static string Name(string value)
        {
            string bare = value.StartsWith("/", StringComparison.Ordinal) ? value.Substring(1) : value;
            var text = new StringBuilder("/");
            foreach (byte b in Encoding.UTF8.GetBytes(bare))
            {
                if (b < 0x21 || b > 0x7E || "#()<>[]{}/%".IndexOf((char)b) >= 0)
                {
                    text.Append('#').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)b);
                }
            }

            return text.ToString();
        }

        /// <summary>A text string as hexadecimal: Latin-1 bytes when every character fits, else UTF-16BE with FE FF.</summary>
        public static string TextString(string value)
        {
            bool latin = value.All(c => c < 0x80);
            byte[] bytes = latin ? Encoding.ASCII.GetBytes(value) : new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(value)).ToArray();
            var text = new StringBuilder("<", (bytes.Length * 2) + 2);
            foreach (byte b in bytes)
            {
                text.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return text.Append('>').ToString();
        }
    }
}
