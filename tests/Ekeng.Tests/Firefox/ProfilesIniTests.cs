using System.Text;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

public sealed class ProfilesIniTests
{
    private const string Ini = "[Profile1]\nName=work\nIsRelative=1\nPath=Profiles/abc.work\n\n[Profile0]\nName=default\nIsRelative=0\nPath=/home/u/ff/x y/Պրոֆիլ\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n\n[Install4F96D1932A9F858E]\nDefault=Profiles/abc.work\nLocked=1\n";

    [Fact]
    public void Reads_Relative_And_Absolute_Profiles_And_Ignores_Other_Sections()
    {
        IReadOnlyList<ProfilesIniEntry> entries = ProfilesIni.Parse(Encoding.UTF8.GetBytes(Ini), "profiles.ini");
        Assert.Equal(2, entries.Count);
        Assert.Equal("work", entries[0].Name);
        Assert.True(entries[0].IsRelative);
        Assert.Equal("Profiles/abc.work", entries[0].Path);
        Assert.Equal("/home/u/ff/x y/Պրոֆիլ", entries[1].Path);
        Assert.True(entries[1].IsDefault);
        Assert.Equal(Path.Combine("/root", "Profiles", "abc.work"), ProfileLocator.ResolveProfilePath("/root", entries[0]));
    }

    [Fact]
    public void Reads_All_Of_1000_Profiles()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 1000; i++)
        {
            sb.Append($"[Profile{i}]\r\nName=p{i}\r\nIsRelative=1\r\nPath=Profiles/p{i}\r\n\r\n");
        }

        sb.Append("[General]\r\nVersion=2\r\n");
        IReadOnlyList<ProfilesIniEntry> entries = ProfilesIni.Parse(Encoding.UTF8.GetBytes(sb.ToString()), "profiles.ini");
        Assert.Equal(1000, entries.Count);
        Assert.Equal("p999", entries[999].Name);
        Assert.Equal(1000, entries.Select(e => e.Path).Distinct().Count());
    }

    [Theory]
    [InlineData("[Profile0]\nName=a\nthis line is garbage\n", 3)]
    [InlineData("Name=a\n[Profile0]\n", 1)]
    [InlineData("[Profile0\nName=a\n", 1)]
    [InlineData("[Profile0]\nName=a\0b\n", 2)]
    public void Corrupt_File_Fails_With_Its_Name_And_Line(string text, int line)
    {
        var e = Assert.Throws<EkengException>(() => ProfilesIni.Parse(Encoding.UTF8.GetBytes(text), "/x/profiles.ini"));
        Assert.Equal("ProfilesIniCorrupt", e.ErrorId);
        Assert.Contains("/x/profiles.ini", e.Message);
        Assert.Contains($"line {line}", e.Message);
    }

    [Fact]
    public void Invalid_Utf8_Is_Corrupt()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("[Profile0]\nName=a\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        var e = Assert.Throws<EkengException>(() => ProfilesIni.Parse(bytes, "p.ini"));
        Assert.Equal("ProfilesIniCorrupt", e.ErrorId);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void Linux_Finds_Profiles_Under_Xdg_Legacy_Snap_And_Flatpak_Once_Each_And_Reports_A_Corrupt_Root()
    {
        using var home = new TempDir();
        string xdg = home.Combine(".config", "mozilla", "firefox");
        string legacy = home.Combine(".mozilla", "firefox");
        string snap = home.Combine("snap", "firefox", "common", ".mozilla", "firefox");
        string flatpak = home.Combine(".var", "app", "org.mozilla.firefox", ".mozilla", "firefox");
        string shared = home.Combine("shared profile");
        foreach (string d in new[] { xdg, legacy, snap, flatpak })
        {
            Directory.CreateDirectory(d);
        }

        File.WriteAllText(Path.Combine(xdg, "profiles.ini"), $"[Profile0]\nName=new\nIsRelative=1\nPath=a.new\n[Profile1]\nName=shared\nIsRelative=0\nPath={shared}\n");
        File.WriteAllText(Path.Combine(legacy, "profiles.ini"), $"[Profile0]\nName=old\nIsRelative=1\nPath=b.old\n[Profile1]\nName=shared again\nIsRelative=0\nPath={shared}/\n");
        File.WriteAllText(Path.Combine(snap, "profiles.ini"), "[Profile0]\nName=snappy\nIsRelative=1\nPath=c\n");
        File.WriteAllText(Path.Combine(flatpak, "profiles.ini"), "[Profile0]\nName=flat\nbroken line\n");

        var locator = new ProfileLocator(new FakeEnvironment(OsPlatform.Linux, home.Path));
        ProfileSearchResult result = locator.FindProfiles(new[] { MozillaApplication.Firefox });

        Assert.Equal(new[] { "new", "shared", "old", "snappy" }, result.Profiles.Select(p => p.Name));
        Assert.Equal(Path.Combine(xdg, "a.new"), result.Profiles[0].Path);
        Assert.Equal(MozillaPackaging.Snap, result.Profiles[3].Packaging);
        EkengException error = Assert.Single(result.Errors);
        Assert.Equal("ProfilesIniCorrupt", error.ErrorId);
        Assert.Contains(Path.Combine(flatpak, "profiles.ini"), error.Message);
    }

    [Fact]
    public void Honours_XDG_CONFIG_HOME()
    {
        using var home = new TempDir();
        string config = home.Combine("elsewhere");
        var locator = new ProfileLocator(new FakeEnvironment(OsPlatform.Linux, home.Path, new() { ["XDG_CONFIG_HOME"] = config }));
        Assert.Equal(Path.Combine(config, "mozilla", "firefox"), locator.GetRoots(MozillaApplication.Firefox)[0].Path);
        Assert.Contains(locator.GetRoots(MozillaApplication.Thunderbird), r => r.Path == Path.Combine(home.Path, ".thunderbird"));
    }

    [Fact]
    public void Windows_And_MacOS_Roots()
    {
        var windows = new ProfileLocator(new FakeEnvironment(OsPlatform.Windows, @"C:\Users\u", new() { ["APPDATA"] = @"C:\Users\u\AppData\Roaming" }));
        Assert.Equal(Path.Combine(@"C:\Users\u\AppData\Roaming", "Mozilla", "Firefox"), windows.GetRoots(MozillaApplication.Firefox).Single().Path);
        Assert.Equal(Path.Combine(@"C:\Users\u\AppData\Roaming", "Thunderbird"), windows.GetRoots(MozillaApplication.Thunderbird).Single().Path);
        var mac = new ProfileLocator(new FakeEnvironment(OsPlatform.MacOS, "/Users/u"));
        Assert.Equal(Path.Combine("/Users/u", "Library", "Application Support", "Firefox"), mac.GetRoots(MozillaApplication.Firefox).Single().Path);
    }
}
