using System;
using Ekeng.Diagnostics;
using PhoneNumbers;

namespace Ekeng.Crm
{
    /// <summary>
    /// Armenian mobile numbers, checked BEFORE anything is sent: libphonenumber's metadata for AM (+374, mobile ranges
    /// 33, 41, 43, 44, 49, 5x, 77, 88, 91, 93–99). Accepts <c>091 234567</c>, <c>+374 91 234567</c>, <c>91234567</c>,
    /// <c>0037491234567</c>; gives E.164.
    /// </summary>
    public static class ArmenianPhoneNumber
    {
        private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

        /// <summary>The number in E.164 (<c>+37491234567</c>), or InvalidPhoneNumber.</summary>
        public static string Normalize(string input)
        {
            string text = (input ?? string.Empty).Trim();
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
    }
}
