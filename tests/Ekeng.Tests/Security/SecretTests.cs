using System.Security;
using System.Text;
using Ekeng.Diagnostics;
using Ekeng.Security;

namespace Ekeng.Tests.Security;

public sealed class SecretTests
{
    internal static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    [Fact]
    public void Utf8_Bytes_Keep_Leading_Zeros_And_Are_Zeroed_Afterwards()
    {
        byte[]? seen = null;
        byte[] copy = Secure("0012").UseUtf8Bytes(bytes =>
        {
            seen = bytes;
            return (byte[])bytes.Clone();
        });

        Assert.Equal(Encoding.ASCII.GetBytes("0012"), copy);
        Assert.All(seen!, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Non_Ascii_Secrets_Become_Utf8()
    {
        byte[] copy = Secure("Պին1").UseUtf8Bytes(bytes => (byte[])bytes.Clone());
        Assert.Equal(Encoding.UTF8.GetBytes("Պին1"), copy);
    }

    [Theory]
    [InlineData("0000", true)]
    [InlineData("12a4", false)]
    [InlineData("١٢٣٤", false)]
    public void Digits_Only_Means_Ascii_Digits(string text, bool expected)
    {
        Assert.Equal(expected, Secure(text).IsDigitsOnly());
    }

    [Fact]
    public void Secrets_Compare_By_Value()
    {
        Assert.True(Secure("0123").SecretEquals(Secure("0123")));
        Assert.False(Secure("0123").SecretEquals(Secure("123")));
        Assert.False(Secure("0123").SecretEquals(Secure("0124")));
    }

    [Fact]
    public void The_Redactor_Masks_Every_Occurrence_Of_A_Known_Secret()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secure("48151623"));
        Assert.Equal("pin=*** again *** end", redactor.Redact("pin=48151623 again 48151623 end"));
        Assert.Equal("nothing here 4815", redactor.Redact("nothing here 4815"));
    }

    [Fact]
    public void Short_Secrets_Are_Not_Used_To_Mask()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secure("12"));
        Assert.Equal("slot 12", redactor.Redact("slot 12"));
    }
}
