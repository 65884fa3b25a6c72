using System.Text;
using Ekeng.Diagnostics;
using Ekeng.Firefox;

namespace Ekeng.Tests.Firefox;

public sealed class Pkcs11TxtTests
{
    private const string Lib = "/usr/lib/ccs/libccpkip11.so";

    [Fact]
    public void Parses_Firefox_File_Internal_Module_Is_Not_A_Device()
    {
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8(Samples.FirefoxPkcs11Txt("/p")), "pkcs11.txt");
        Pkcs11TxtModule m = Assert.Single(txt.Modules);
        Assert.True(m.IsInternal);
        Assert.Empty(txt.ExternalModules);
    }

    [Fact]
    public void Add_Appends_An_Nss_Block_And_Keeps_Every_Other_Byte()
    {
        string original = Samples.FirefoxPkcs11Txt("/x y/Պրոֆիլ");
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8(original), "pkcs11.txt");
        txt.AddModule("ARMID (CryptoCard)", "/opt/a b/Պ/lib.so");
        string text = Encoding.UTF8.GetString(txt.ToBytes());
        Assert.StartsWith(original, text, StringComparison.Ordinal);
        Assert.Equal(original + "library=/opt/a b/Պ/lib.so\nname=ARMID (CryptoCard)\n\n", text);

        Pkcs11Txt again = Pkcs11Txt.Parse(txt.ToBytes(), "pkcs11.txt");
        Pkcs11TxtModule device = Assert.Single(again.ExternalModules);
        Assert.Equal("ARMID (CryptoCard)", device.Name);
        Assert.Equal("/opt/a b/Պ/lib.so", device.Library);
    }

    [Theory]
    [InlineData("library=/a.so\nname=A", "library=/a.so\nname=A\n\nlibrary=/b.so\nname=B\n\n")]
    [InlineData("library=/a.so\nname=A\n", "library=/a.so\nname=A\n\nlibrary=/b.so\nname=B\n\n")]
    [InlineData("library=/a.so\r\nname=A\r\n\r\n", "library=/a.so\r\nname=A\r\n\r\nlibrary=/b.so\r\nname=B\r\n\r\n")]
    [InlineData("", "library=/b.so\nname=B\n\n")]
    public void Add_Closes_The_Last_Block_And_Uses_The_File_Line_Endings(string before, string after)
    {
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8(before), "pkcs11.txt");
        txt.AddModule("B", "/b.so");
        Assert.Equal(after, txt.ToString());
    }

    [Fact]
    public void Remove_Takes_Only_That_Block_And_Its_Blank_Line()
    {
        string internalBlock = Samples.FirefoxPkcs11Txt("/p");
        string other = "# a comment kept\nlibrary=/usr/lib/other.so\nname=Other\nNSS=trustOrder=100\n\n";
        string ours = $"library={Lib}\nname=ARMID (CryptoCard)\n\n";
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8(internalBlock + ours + other), "pkcs11.txt");
        txt.RemoveModule(txt.ExternalModules.Single(m => m.Name == "ARMID (CryptoCard)"));
        Assert.Equal(internalBlock + other, txt.ToString());
        Assert.Throws<InvalidOperationException>(() => txt.RemoveModule(txt.Modules.First(m => m.IsInternal)));
    }

    [Fact]
    public void SetLibrary_Replaces_Only_The_Library_Line()
    {
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8("library=/old.so\r\nname=A\r\nNSS=trustOrder=100\r\n\r\n"), "pkcs11.txt");
        txt.SetLibrary(txt.ExternalModules.Single(), "/new.so");
        Assert.Equal("library=/new.so\r\nname=A\r\nNSS=trustOrder=100\r\n\r\n", txt.ToString());
    }

    [Fact]
    public void Quoted_Values_Are_Read_As_Nss_Reads_Them()
    {
        Pkcs11Txt txt = Pkcs11Txt.Parse(Samples.Utf8("library=\"C:\\\\Program Files\\\\x.dll\"\nname=\"My \\\"card\\\"\"\n\n"), "pkcs11.txt");
        Pkcs11TxtModule m = txt.ExternalModules.Single();
        Assert.Equal("C:\\Program Files\\x.dll", m.Library);
        Assert.Equal("My \"card\"", m.Name);
    }

    [Theory]
    [InlineData("library=/a.so\nname=A\0\n\n", 2)]
    [InlineData("library=/a.so\njunk without equals\n\n", 2)]
    [InlineData("# only a comment\n\nNSS=x\n\n", 3)]
    public void Corrupt_Files_Are_Refused_With_The_Line(string text, int line)
    {
        var e = Assert.Throws<EkengException>(() => Pkcs11Txt.Parse(Samples.Utf8(text), "/p/pkcs11.txt"));
        Assert.Equal("Pkcs11TxtCorrupt", e.ErrorId);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains("/p/pkcs11.txt", e.Message);
    }

    [Fact]
    public void A_Line_Longer_Than_Nss_Reads_Is_Corrupt()
    {
        string text = "library=/" + new string('a', 3000) + "\nname=A\n\n";
        var e = Assert.Throws<EkengException>(() => Pkcs11Txt.Parse(Samples.Utf8(text), "pkcs11.txt"));
        Assert.Equal("Pkcs11TxtCorrupt", e.ErrorId);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("\"quoted")]
    [InlineData("")]
    public void Values_That_Would_Break_The_File_Are_Refused(string value)
    {
        Pkcs11Txt txt = Pkcs11Txt.Empty("pkcs11.txt", "\n");
        Assert.Throws<ArgumentException>(() => txt.AddModule(value, "/x.so"));
        Assert.Empty(txt.ToBytes());
    }
}
