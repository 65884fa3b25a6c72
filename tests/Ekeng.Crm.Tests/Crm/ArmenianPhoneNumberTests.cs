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

    [Fact]
    public void Masks_All_But_The_Last_Two_Digits()
    {
        Assert.Equal("+374******67", ArmenianPhoneNumber.Mask("+37491234567"));
        Assert.Null(ArmenianPhoneNumber.Mask(null));
    }
}
