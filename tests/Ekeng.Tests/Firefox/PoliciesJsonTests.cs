using System.Text;
using System.Text.Json;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

public sealed class PoliciesJsonTests
{
    private static readonly LibraryPaths Paths = new(new FakeEnvironment(OsPlatform.Linux, "/home/u"));
    private const string Lib = "/usr/lib/ccs/libccpkip11.so";

    private const string Existing = """
        {
          "policies": {
            "DisableAppUpdate": true,
            "Preferences": { "browser.startup.homepage": { "Value": "https://example.am/Հայ", "Status": "locked" } },
            "SecurityDevices": { "Add": { "Other token": "/usr/lib/other.so" } },
            "Certificates": { "ImportEnterpriseRoots": true, "Install": ["/etc/ca.pem"] }
          },
          "comment": 1.50
        }
        """;

    private static (PolicyEdit, byte[]?) Set(string? json, string name = "ARMID (CryptoCard)", string lib = Lib) =>
        PoliciesJson.Edit(json is null ? null : Encoding.UTF8.GetBytes(json), "policies.json", p => p.Set(name, lib, Paths));

    [Fact]
    public void Merges_Into_Existing_Policies_Keeping_Everything_Else_And_The_Key_Order()
    {
        (PolicyEdit edit, byte[]? content) = Set(Existing);
        Assert.Equal(CryptoModuleStatus.Added, edit.Status);
        Assert.NotNull(content);
        using JsonDocument doc = JsonDocument.Parse(content!);
        JsonElement policies = doc.RootElement.GetProperty("policies");
        Assert.Equal(new[] { "DisableAppUpdate", "Preferences", "SecurityDevices", "Certificates" }, policies.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "policies", "comment" }, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://example.am/Հայ", policies.GetProperty("Preferences").GetProperty("browser.startup.homepage").GetProperty("Value").GetString());
        Assert.Contains("1.50", Encoding.UTF8.GetString(content!));
        Assert.Contains("Հայ", Encoding.UTF8.GetString(content!));
        JsonElement add = policies.GetProperty("SecurityDevices").GetProperty("Add");
        Assert.Equal("/usr/lib/other.so", add.GetProperty("Other token").GetString());
        Assert.Equal(Lib, add.GetProperty("ARMID (CryptoCard)").GetString());
        Assert.Equal("/etc/ca.pem", policies.GetProperty("Certificates").GetProperty("Install")[0].GetString());

        (PolicyEdit again, byte[]? unchanged) = Set(Encoding.UTF8.GetString(content!));
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, again.Status);
        Assert.Null(unchanged);
    }

    [Fact]
    public void Creates_A_New_File_In_The_Add_Form()
    {
        (PolicyEdit edit, byte[]? content) = Set(null);
        Assert.Equal(CryptoModuleStatus.Added, edit.Status);
        using JsonDocument doc = JsonDocument.Parse(content!);
        Assert.Equal(Lib, doc.RootElement.GetProperty("policies").GetProperty("SecurityDevices").GetProperty("Add").GetProperty("ARMID (CryptoCard)").GetString());
    }

    [Fact]
    public void The_Old_Flat_Form_Is_Moved_Into_Add_So_It_Stays_Live()
    {
        (PolicyEdit edit, byte[]? content) = Set("""{"policies":{"SecurityDevices":{"Old":"/usr/lib/old.so"}}}""");
        Assert.Equal(CryptoModuleStatus.Added, edit.Status);
        using JsonDocument doc = JsonDocument.Parse(content!);
        JsonElement devices = doc.RootElement.GetProperty("policies").GetProperty("SecurityDevices");
        Assert.Equal(new[] { "Add" }, devices.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "Old", "ARMID (CryptoCard)" }, devices.GetProperty("Add").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Same_Library_Under_Another_Name_Is_AlreadyPresent_And_A_Delete_Entry_Is_Taken_Out()
    {
        (PolicyEdit edit, byte[]? content) = Set("""{"policies":{"SecurityDevices":{"Add":{"Vendor":"/usr/lib/ccs/../ccs/libccpkip11.so"}}}}""");
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, edit.Status);
        Assert.Equal("Vendor", edit.Name);
        Assert.Null(content);

        (PolicyEdit undeleted, byte[]? fixedContent) = Set($$$$"""{"policies":{"SecurityDevices":{"Add":{"ARMID (CryptoCard)":"{{{{Lib}}}}"},"Delete":["ARMID (CryptoCard)","Gone"]}}}""");
        Assert.Equal(CryptoModuleStatus.Updated, undeleted.Status);
        using JsonDocument doc = JsonDocument.Parse(fixedContent!);
        Assert.Equal(new[] { "Gone" }, doc.RootElement.GetProperty("policies").GetProperty("SecurityDevices").GetProperty("Delete").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Remove_Moves_The_Name_To_Delete_Then_Is_A_No_Op()
    {
        (_, byte[]? added) = Set(Existing);
        (PolicyEdit removed, byte[]? content) = PoliciesJson.Edit(added, "policies.json", p => p.Remove("ARMID (CryptoCard)", null, Paths));
        Assert.Equal(CryptoModuleStatus.Removed, removed.Status);
        using (JsonDocument doc = JsonDocument.Parse(content!))
        {
            JsonElement devices = doc.RootElement.GetProperty("policies").GetProperty("SecurityDevices");
            Assert.Equal(new[] { "Other token" }, devices.GetProperty("Add").EnumerateObject().Select(p => p.Name));
            Assert.Equal(new[] { "ARMID (CryptoCard)" }, devices.GetProperty("Delete").EnumerateArray().Select(e => e.GetString()));
        }

        (PolicyEdit again, byte[]? none) = PoliciesJson.Edit(content, "policies.json", p => p.Remove("ARMID (CryptoCard)", null, Paths));
        Assert.Equal(CryptoModuleStatus.NotPresent, again.Status);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("{\n  \"policies\": {\n    \"A\": true,\n  }\n}", 4)]
    [InlineData("{\n  // comment\n}", 2)]
    [InlineData("not json", 1)]
    public void Invalid_Json_Names_The_File_And_Line(string json, int line)
    {
        var e = Assert.Throws<EkengException>(() => Set(json));
        Assert.Equal("PolicyJsonInvalid", e.ErrorId);
        Assert.Contains("policies.json", e.Message);
        Assert.Contains($"line {line}", e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"policies": []}""")]
    [InlineData("""{"policies": {"SecurityDevices": {"Add": ["x"]}}}""")]
    [InlineData("""{"policies": {"SecurityDevices": {"Delete": "x"}}}""")]
    public void Json_Of_The_Wrong_Shape_Is_Invalid(string json)
    {
        Assert.Equal("PolicyJsonInvalid", Assert.Throws<EkengException>(() => Set(json)).ErrorId);
    }

    [Fact]
    public void Policy_Files_Never_Create_An_Etc_File_That_Would_Hide_The_Installation_Ones()
    {
        var install = new MozillaInstall(MozillaApplication.Firefox, "/usr/lib/firefox-esr", null, "/usr/lib/firefox-esr/distribution", MozillaPackaging.Native);
        var snap = new MozillaInstall(MozillaApplication.Firefox, "/snap/firefox/current/usr/lib/firefox", null, "/snap/firefox/current/usr/lib/firefox/distribution", MozillaPackaging.Snap);
        const string etc = "/etc/firefox/policies/policies.json";
        Assert.Equal(new[] { "/usr/lib/firefox-esr/distribution/policies.json" }, MozillaInstallLocator.ResolvePolicyFiles(etc, new[] { install, snap }, _ => false));
        Assert.Equal(new[] { etc }, MozillaInstallLocator.ResolvePolicyFiles(etc, new[] { install }, f => f == etc));
        Assert.Equal(new[] { etc, install.PolicyFile }, MozillaInstallLocator.ResolvePolicyFiles(etc, new[] { install }, _ => true));
        Assert.Equal(new[] { etc }, MozillaInstallLocator.ResolvePolicyFiles(etc, new[] { snap }, _ => false));
    }

    [Fact]
    public void Invalid_Utf8_Inside_A_String_Is_PolicyJsonInvalid_Not_A_Raw_Exception()
    {
        byte[] content = Encoding.UTF8.GetBytes("{\n  \"policies\": {\n    \"SecurityDevices\": { \"Add\": { \"X\": \"/a\u00e9.so\" } }\n  }\n}\n");
        int at = Array.IndexOf(content, (byte)0xC3);
        content[at] = 0xFF; // not UTF-8
        var edit = Assert.Throws<EkengException>(() => PoliciesJson.Edit(content, "policies.json", p => p.Set("Y", Lib, Paths)));
        Assert.Equal("PolicyJsonInvalid", edit.ErrorId);
        Assert.Contains("line 3", edit.Message);
        Assert.Equal("PolicyJsonInvalid", Assert.Throws<EkengException>(() => PoliciesJson.Read(content, "policies.json")).ErrorId);
    }

    [Fact]
    public void Duplicate_Policies_Keys_The_Edit_Goes_Into_The_Last_Which_Firefox_Uses_The_Others_Stay()
    {
        // Firefox parses policies.json with JSON.parse: of duplicate keys the last wins.
        const string json = """
            {
              "policies": { "First": 1, "SecurityDevices": { "Add": { "Ignored": "/ignored.so" } } },
              "policies": { "Last": 2, "SecurityDevices": { "Add": { "Old": "/old.so" } } }
            }
            """;
        Assert.Equal(new[] { "Old" }, PoliciesJson.Read(Encoding.UTF8.GetBytes(json), "policies.json").EffectiveDevices.Select(d => d.Key));
        (PolicyEdit edit, byte[]? content) = Set(json);
        Assert.Equal(CryptoModuleStatus.Added, edit.Status);
        using JsonDocument doc = JsonDocument.Parse(content!);
        JsonProperty[] all = doc.RootElement.EnumerateObject().Where(p => p.NameEquals("policies")).ToArray();
        Assert.Equal(2, all.Length);
        JsonElement last = all[1].Value;
        Assert.Equal(2, last.GetProperty("Last").GetInt32());
        Assert.Equal(new[] { "Old", "ARMID (CryptoCard)" }, last.GetProperty("SecurityDevices").GetProperty("Add").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, all[0].Value.GetProperty("First").GetInt32());
        Assert.Equal("/ignored.so", all[0].Value.GetProperty("SecurityDevices").GetProperty("Add").GetProperty("Ignored").GetString());
        Assert.Equal(new[] { "Old", "ARMID (CryptoCard)" }, PoliciesJson.Read(content, "policies.json").EffectiveDevices.Select(d => d.Key));
    }

    [Fact]
    public void Duplicate_Add_Keys_Only_The_Last_Counts_As_For_Firefox()
    {
        const string json = """{ "policies": { "SecurityDevices": { "Add": { "A": "/a.so" }, "Add": { "B": "/b.so" } } } }""";
        Assert.Equal(new[] { "B" }, PoliciesJson.Read(Encoding.UTF8.GetBytes(json), "policies.json").EffectiveDevices.Select(d => d.Key));
        (_, byte[]? content) = Set(json);
        Assert.Equal(new[] { "B", "ARMID (CryptoCard)" }, PoliciesJson.Read(content, "policies.json").EffectiveDevices.Select(d => d.Key));
    }
}
