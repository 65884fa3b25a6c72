using PhoneNumbers;

namespace Ekeng.Sandbox.Crm;

/// <summary>Armenian mobile numbers through libphonenumber: `+374 91 234567`, `091 234567`, `91234567`, `0037491234567` → E.164.</summary>
public static class MobileNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form of an Armenian mobile number, or null.</summary>
    public static string? NormaliseMobile(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40) return null;
        try
        {
            PhoneNumber number = Util.Parse(input.Trim(), "AM");
            if (!Util.IsValidNumberForRegion(number, "AM")) return null;
            if (Util.GetNumberType(number) != PhoneNumberType.MOBILE) return null;
            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The E.164 form of any Armenian number (for the outbox query), or the input trimmed.</summary>
    public static string NormaliseAny(string input)
    {
        try
        {
            PhoneNumber number = Util.Parse(input.Trim(), "AM");
            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return input.Trim();
        }
    }
}
