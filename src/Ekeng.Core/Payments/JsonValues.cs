using System;
using System.Globalization;
using System.Text.Json;

namespace Ekeng.Payments
{
    /// <summary>Tolerant readers for JSON fields that arrive as numbers or as strings, or not at all.</summary>
    internal static class JsonValues
    {
        public static bool TryGet(JsonElement obj, string name, out JsonElement value)
        {
            if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined)
            {
                return true;
            }

            value = default;
            return false;
        }

        public static string? String(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v))
            {
                return null;
            }

            return v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
        }

        public static long? Long(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n))
            {
                return n;
            }

            if (v.ValueKind == JsonValueKind.String)
            {
                string s = (v.GetString() ?? string.Empty).Trim();
                if (s.Length == 0)
                {
                    return null;
                }

                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                {
                    return parsed;
                }
            }

            throw new FormatException($"'{name}' is not an integer: {Shorten(v.GetRawText())}");
        }

        public static int? Int(JsonElement obj, string name)
        {
            long? n = Long(obj, name);
            return n is long value ? checked((int)value) : (int?)null;
        }

        public static decimal? Decimal(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number)
            {
                return v.GetDecimal();
            }

            if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d))
            {
                return d;
            }

            throw new FormatException($"'{name}' is not a number: {Shorten(v.GetRawText())}");
        }

        public static bool? Bool(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.False)
            {
                return v.GetBoolean();
            }

            if (v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out bool b))
            {
                return b;
            }

            throw new FormatException($"'{name}' is not a boolean: {Shorten(v.GetRawText())}");
        }

        /// <summary>An ISO 8601 timestamp (UTC when it has no offset).</summary>
        public static DateTimeOffset? Timestamp(JsonElement obj, string name)
        {
            string? s = String(obj, name);
            if (string.IsNullOrWhiteSpace(s))
            {
                return null;
            }

            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t))
            {
                return t;
            }

            throw new FormatException($"'{name}' is not an ISO 8601 timestamp: {Shorten(s!)}");
        }

        /// <summary>A <c>yyyy-MM-dd</c> date (a full timestamp is accepted and cut to its date).</summary>
        public static DateTime? Date(JsonElement obj, string name)
        {
            string? s = String(obj, name);
            if (string.IsNullOrWhiteSpace(s))
            {
                return null;
            }

            if (DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime d))
            {
                return DateTime.SpecifyKind(d, DateTimeKind.Unspecified);
            }

            DateTimeOffset? t = Timestamp(obj, name);
            return t?.UtcDateTime.Date;
        }

        /// <summary>Epoch milliseconds (number or string), as the gateway sends <c>date</c>.</summary>
        public static DateTimeOffset? EpochMilliseconds(JsonElement obj, string name)
        {
            long? ms = Long(obj, name);
            return ms is long value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : (DateTimeOffset?)null;
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";
    }
}
