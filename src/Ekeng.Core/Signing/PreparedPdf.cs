namespace Ekeng.Signing
{
    /// <summary>
    /// A PDF with its signature's incremental update appended and the /Contents hole still empty: the bytes to hash
    /// are all but [<see cref="HoleStart"/>, <see cref="HoleEnd"/>) (the /ByteRange written in the update).
    /// </summary>
    internal sealed class PreparedPdf
    {
        public PreparedPdf(byte[] bytes, int holeStart, int holeEnd, string fieldName)
        {
            Bytes = bytes;
            HoleStart = holeStart;
            HoleEnd = holeEnd;
            FieldName = fieldName;
        }

        public byte[] Bytes { get; }

        /// <summary>Offset of the '&lt;' that opens /Contents.</summary>
        public int HoleStart { get; }

        /// <summary>Offset just after the '&gt;' that closes /Contents.</summary>
        public int HoleEnd { get; }

        /// <summary>The new signature field's name (/T).</summary>
        public string FieldName { get; }
    }
}
