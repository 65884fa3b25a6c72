using Ekeng.Diagnostics;

namespace Ekeng.Crm.Tests.Crm;

public sealed class ArmenianPhoneNumberTests
{
    [Theory]
    [InlineData("091 234567")]
    [InlineData("+374 91 234567")]
    [InlineData("91234567")]
    [InlineData("0037491234567")]
    [InlineData("+374-91-23-45-67")]
    public void Accepts_The_Usual_Forms_And_Normalises_To_E164(string input)
    {
        Assert.Equal("+37491234567", ArmenianPhoneNumber.Normalize(input));
    }

    [Theory]
    [InlineData("010 123456")] // Yerevan landline
    [InlineData("+1 202 555 0143")]
    [InlineData("091 2345")]
    [InlineData("phone")]
    [InlineData("")]
    public void Refuses_What_Is_Not_An_Armenian_Mobile_Number(string input)
    {
        var e = Assert.Throws<EkengException>(() => ArmenianPhoneNumber.Normalize(input));
        Assert.Equal("InvalidPhoneNumber", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidArgument, e.Kind);
    }

    /// <summary>
    /// The shortcut that spares a command libphonenumber's metadata answers exactly as libphonenumber does: over every
    /// two-digit prefix and the usual spellings, whatever it accepts libphonenumber accepts with the same E.164, and
    /// whatever libphonenumber accepts in those spellings it accepts too (so the library is loaded only for the rest).
    /// </summary>
    [Fact]
    public void The_Usual_Spellings_Shortcut_Agrees_With_Libphonenumber_On_Every_Prefix()
    {
        int accepted = 0;
        for (int prefix = 0; prefix < 100; prefix++)
        {
            foreach (string subscriber in new[] { "000000", "234567", "999999" })
            {
                string n = prefix.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + subscriber;
                string[] spellings =
                {
                    n, "0" + n, "+374" + n, "00374" + n, "0" + n.Substring(0, 2) + " " + n.Substring(2),
                    "+374 " + n.Substring(0, 2) + " " + n.Substring(2), "+374-" + n.Substring(0, 2) + "-" + n.Substring(2, 2) + "-" + n.Substring(4),
                    "00 374 " + n, " 0" + n + " ",
                };
                foreach (string spelling in spellings)
                {
                    string? library = LibraryAnswer(spelling);
                    string? shortcut = ArmenianPhoneNumber.TryNormalizeUsual(spelling.Trim());
                    Assert.True(shortcut == library, $"'{spelling}': shortcut {shortcut ?? "(library decides)"}, libphonenumber {library ?? "(refused)"}");
                    Assert.Equal(library, LibraryAnswerOf(() => ArmenianPhoneNumber.Normalize(spelling)));
                    accepted += shortcut is null ? 0 : 1;
                }
            }
        }

        // 16 mobile prefixes x 3 subscriber numbers x 9 spellings.
        Assert.Equal(16 * 3 * 9, accepted);
    }

    [Theory]
    [InlineData("(091) 234567")]
    [InlineData("091.234567")]
    [InlineData("+37491234567 ext. 1")]
    [InlineData("٠٩١٢٣٤٥٦٧")]
    [InlineData("37491234567")]
    public void Other_Spellings_Are_Left_To_Libphonenumber(string input)
    {
        Assert.Null(ArmenianPhoneNumber.TryNormalizeUsual(input));
        Assert.Equal(LibraryAnswer(input), LibraryAnswerOf(() => ArmenianPhoneNumber.Normalize(input)));
    }

    private static string? LibraryAnswer(string input) => LibraryAnswerOf(() => ArmenianPhoneNumber.Library.Normalize(input.Trim()));

    private static string? LibraryAnswerOf(Func<string> normalize)
    {
        try
        {
            return normalize();
        }
        catch (EkengException e) when (e.ErrorId == "InvalidPhoneNumber")
        {
            return null;
        }
    }

    [Fact]
    public void Masks_All_But_The_Last_Two_Digits()
    {
        Assert.Equal("+374******67", ArmenianPhoneNumber.Mask("+37491234567"));
        Assert.Null(ArmenianPhoneNumber.Mask(null));
    }
}
