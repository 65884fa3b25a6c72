using System.Runtime.CompilerServices;
using Ekeng.Diagnostics;
using PhoneNumbers;

namespace Ekeng.Crm
{
    /// <summary>
    /// Armenian mobile numbers, checked BEFORE anything is sent: libphonenumber's metadata for AM (+374, mobile ranges
    /// 33, 41, 43, 44, 49, 55, 77, 88, 91, 93–99). Accepts <c>091 234567</c>, <c>+374 91 234567</c>, <c>91234567</c>,
    /// <c>0037491234567</c>; gives E.164.
    /// </summary>
    /// <remarks>
    /// The usual spellings (digits, spaces and hyphens; a national number of 8 digits after nothing, the trunk 0, +374
    /// or 00374) whose number is in a mobile range are answered here without libphonenumber, whose whole-world metadata
    /// costs a command tens of milliseconds to load; everything else, and every refusal, is libphonenumber's answer. The
    /// shortcut only ever ACCEPTS what libphonenumber accepts, with the same E.164 (Ekeng.Crm.Tests compares the two
    /// over every two-digit prefix and spelling).
    /// </remarks>
    public static class ArmenianPhoneNumber
    {
        /// <summary>The number in E.164 (<c>+37491234567</c>), or InvalidPhoneNumber.</summary>
        public static string Normalize(string input)
        {
            string text = (input ?? string.Empty).Trim();
            return TryNormalizeUsual(text) ?? Library.Normalize(text);
        }

        /// <summary>
        /// The E.164 of a usual spelling of an Armenian mobile number, or null (then libphonenumber decides): digits,
        /// spaces and hyphens only, optionally after one leading '+'; 8 national digits after nothing, '0', '+374' or
        /// '00374'; the first two in libphonenumber's AM mobile ranges.
        /// </summary>
        internal static string? TryNormalizeUsual(string text)
        {
            if (text.Length == 0 || text.Length > 32)
            {
                return null;
            }

            char[] digits = new char[text.Length];
            int count = 0;
            bool plus = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= '0' && c <= '9')
                {
                    digits[count++] = c;
                }
                else if (c == '+' && i == 0)
                {
                    plus = true;
                }
                else if (c != ' ' && c != '-')
                {
                    return null;
                }
            }

            string all = new string(digits, 0, count);
            string national;
            if (plus)
            {
                if (count != 11 || !all.StartsWith("374", StringComparison.Ordinal))
                {
                    return null;
                }

                national = all.Substring(3);
            }
            else if (count == 13 && all.StartsWith("00374", StringComparison.Ordinal))
            {
                national = all.Substring(5);
            }
            else if (count == 9 && all[0] == '0')
            {
                national = all.Substring(1);
            }
            else if (count == 8)
            {
                national = all;
            }
            else
            {
                return null;
            }

            return IsMobileRange(national[0], national[1]) ? "+374" + national : null;
        }

        /// <summary>libphonenumber's AM mobile pattern <c>(?:33|4[1349]|55|77|88|9[13-9])\d{6}</c>, on the first two digits.</summary>
        private static bool IsMobileRange(char first, char second)
        {
            switch (first)
            {
                case '3':
                    return second == '3';
                case '4':
                    return second == '1' || second == '3' || second == '4' || second == '9';
                case '5':
                    return second == '5';
                case '7':
                    return second == '7';
                case '8':
                    return second == '8';
                case '9':
                    return second == '1' || (second >= '3' && second <= '9');
                default:
                    return false;
            }
        }

        /// <summary>E.164 masked but for the last 2 digits: <c>+374******67</c>.</summary>
        public static string? Mask(string? e164)
        {
            if (string.IsNullOrEmpty(e164))
            {
                return null;
            }

            string digits = e164!.StartsWith("+374", StringComparison.Ordinal) ? e164.Substring(4) : e164.TrimStart('+');
            if (digits.Length <= 2)
            {
                return "+374" + digits;
            }

            return "+374" + new string('*', digits.Length - 2) + digits.Substring(digits.Length - 2);
        }

        private static EkengException Invalid(string input, string why) =>
            new EkengException(CrmErrors.InvalidPhoneNumber, $"The phone number '{input}' {why}. Nothing was sent.")
            {
                TargetObject = input,
            };

        /// <summary>libphonenumber's answer (its metadata is loaded on the first call that gets here).</summary>
        internal static class Library
        {
            private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static string Normalize(string text)
            {
                PhoneNumber? number = null;
                try
                {
                    if (text.Length > 0)
                    {
                        // A bare 8-digit national number without its trunk 0 ("91234567") parses as national too.
                        number = Util.Parse(text, "AM");
                    }
                }
                catch (NumberParseException)
                {
                    number = null;
                }

                if (number is null || number.CountryCode != 374 || !Util.IsValidNumberForRegion(number, "AM"))
                {
                    throw Invalid(text, "is not an Armenian phone number (+374 and 8 digits)");
                }

                PhoneNumberType type = Util.GetNumberType(number);
                if (type != PhoneNumberType.MOBILE && type != PhoneNumberType.FIXED_LINE_OR_MOBILE)
                {
                    throw Invalid(text, "is not a mobile number (SMS codes go to mobile numbers: 33, 41, 43, 44, 49, 5x, 77, 88, 91, 93–99)");
                }

                return Util.Format(number, PhoneNumberFormat.E164);
            }
        }
    }
}
