namespace Ekeng.Certificates
{
    /// <summary>A minimal DER reader for X.500 Names: SEQUENCE OF SET OF SEQUENCE { OID, string }.</summary>
    internal static class X500NameReader
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Read(byte[] der)
        {
            var result = new List<KeyValuePair<string, string>>();
            int pos = 0;
            (int tag, int start, int length) name = ReadTlv(der, ref pos);
            if (name.tag != 0x30)
            {
                throw new FormatException("An X.500 name is a SEQUENCE.");
            }

            int end = name.start + name.length;
            int p = name.start;
            while (p < end)
            {
                (int tag, int start, int length) set = ReadTlv(der, ref p);
                int setEnd = set.start + set.length;
                int q = set.start;
                while (q < setEnd)
                {
                    (int tag, int start, int length) atv = ReadTlv(der, ref q);
                    int r = atv.start;
                    (int tag, int start, int length) oid = ReadTlv(der, ref r);
                    (int tag, int start, int length) value = ReadTlv(der, ref r);
                    result.Add(new KeyValuePair<string, string>(DecodeOid(der, oid.start, oid.length), DecodeString(der, value.tag, value.start, value.length)));
                }
            }

            return result;
        }

        private static (int tag, int start, int length) ReadTlv(byte[] der, ref int pos)
        {
            if (pos + 2 > der.Length)
            {
                throw new FormatException("Truncated DER.");
            }

            int tag = der[pos++];
            int length = der[pos++];
            if ((length & 0x80) != 0)
            {
                int count = length & 0x7F;
                if (count == 0 || count > 3 || pos + count > der.Length)
                {
                    throw new FormatException("Unsupported DER length.");
                }

                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | der[pos++];
                }
            }

            if (pos + length > der.Length)
            {
                throw new FormatException("Truncated DER.");
            }

            int start = pos;
            pos += length;
            return (tag, start, length);
        }

        private static string DecodeOid(byte[] der, int start, int length)
        {
            var parts = new List<string>();
            long value = 0;
            bool first = true;
            for (int i = start; i < start + length; i++)
            {
                value = (value << 7) | (uint)(der[i] & 0x7F);
                if ((der[i] & 0x80) == 0)
                {
                    if (first)
                    {
                        long a = Math.Min(value / 40, 2);
                        parts.Add(a.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        parts.Add((value - (a * 40)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        first = false;
                    }
                    else
                    {
                        parts.Add(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    value = 0;
                }
            }

            return string.Join(".", parts);
        }

        private static string DecodeString(byte[] der, int tag, int start, int length)
        {
            switch (tag)
            {
                case 0x1E: // BMPString
                    return Encoding.BigEndianUnicode.GetString(der, start, length);
                case 0x1C: // UniversalString
                    return new UTF32Encoding(true, false).GetString(der, start, length);
                case 0x14: // TeletexString: treated as Latin-1
                    return Encoding.GetEncoding("ISO-8859-1").GetString(der, start, length);
                default: // UTF8String, PrintableString, IA5String, NumericString
                    return Encoding.UTF8.GetString(der, start, length);
            }
        }
    }
}
