using System.Text.Json;
using Ekeng.Chromium;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;
using Ekeng.Testing;
using Ekeng.Tests.Firefox;

namespace Ekeng.Tests.Chromium;

/// <summary>AutoSelectCertificateForUrls: the entry's form, the registry list (fake store) and the managed JSON file (temp folder).</summary>
public sealed class ChromiumPolicyTests
{
    private const string Url = AutoSelectCertificatePolicy.DefaultUrl;
    private static readonly Confirmation Yes = (_, _) => true;

    [Fact]
    public void The_Entry_Is_The_Pattern_And_The_Issuer_Filter()
    {
        string entry = AutoSelectCertificatePolicy.Entry(Url, "Citizen CA \"2\"");
        using JsonDocument doc = JsonDocument.Parse(entry);
        Assert.Equal(Url, doc.RootElement.GetProperty("pattern").GetString());
        Assert.Equal("Citizen CA \"2\"", doc.RootElement.GetProperty("filter").GetProperty("ISSUER").GetProperty("CN").GetString());
    }

    [Fact]
    public void Registry_Set_Keeps_Other_Entries_Updates_Ours_And_Remove_Renumbers_Without_Gaps()
    {
        var store = new FakeRegistry();
        var edge = new RegistryCertificatePolicyTarget(ChromiumBrowser.Edge, store);
        string key = @"SOFTWARE\Policies\Microsoft\Edge\AutoSelectCertificateForUrls";
        store.SetString(key, "1", "{\"pattern\":\"https://intranet.example\",\"filter\":{}}");
        Assert.Equal(CryptoModuleStatus.Added, edge.Set(Url, "Old CA", Yes)!.Status);
        Assert.Equal(CryptoModuleStatus.Updated, edge.Set(Url, "Citizen CA", Yes)!.Status);
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, edge.Set(Url, "Citizen CA", Yes)!.Status);
        var values = store.ReadValues(key)!;
        Assert.Equal(new[] { "1", "2" }, values.Select(v => v.Key).OrderBy(k => k));
        Assert.Contains("intranet", values.Single(v => v.Key == "1").Value);
        Assert.Equal("Citizen CA", edge.Get(Url).Single().IssuerCommonName);

        // Ours first, then another: removing ours moves the other to "1" and deletes "2".
        store.Keys.Clear();
        edge.Set(Url, "Citizen CA", Yes);
        store.SetString(key, "2", "{\"pattern\":\"https://intranet.example\",\"filter\":{}}");
        Assert.Equal(CryptoModuleStatus.Removed, edge.Remove(Url, Yes)!.Status);
        values = store.ReadValues(key)!;
        Assert.Equal("1", values.Single().Key);
        Assert.Contains("intranet", values.Single().Value);
        Assert.Equal(CryptoModuleStatus.NotPresent, edge.Remove(Url, Yes)!.Status);
        Assert.Equal(@"HKLM\SOFTWARE\Policies\Microsoft\Edge\AutoSelectCertificateForUrls", edge.Description);
        Assert.Equal(@"SOFTWARE\Policies\Google\Chrome", AutoSelectCertificatePolicy.RegistryKey(ChromiumBrowser.Chrome));
    }

    [Fact]
    public void Registry_WhatIf_Writes_Nothing()
    {
        var store = new FakeRegistry();
        Assert.Null(new RegistryCertificatePolicyTarget(ChromiumBrowser.Chrome, store).Set(Url, "Citizen CA", (_, _) => false));
        Assert.Equal(0, store.Writes);
    }

    [Fact]
    public void A_Url_That_Is_Not_Https_Is_Refused_Before_Anything_Is_Written()
    {
        var store = new FakeRegistry();
        var error = Assert.Throws<EkengException>(() => new RegistryCertificatePolicyTarget(ChromiumBrowser.Chrome, store).Set("http://crm.ekeng.am", "Citizen CA", Yes));
        Assert.Equal("PolicyValueInvalid", error.ErrorId);
        Assert.Equal(0, store.Writes);
    }

    [Fact]
    public void The_Managed_File_Is_Merged_World_Readable_And_Removed_When_Empty()
    {
        using var dir = new TempDir();
        string folder = dir.Combine("policies", "managed");
        var target = new ManagedPolicyFileTarget(ChromiumBrowser.Chromium, folder);
        Assert.Equal(CryptoModuleStatus.Added, target.Set(Url, "Citizen CA", Yes)!.Status);
        string file = Path.Combine(folder, ManagedPolicyFileTarget.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        }

        // Another policy added by the administrator in our file is kept through set and remove.
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file)))
        {
            Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("AutoSelectCertificateForUrls").ValueKind);
        }

        File.WriteAllText(file, "{\"HomepageLocation\":\"https://www.ekeng.am\",\"AutoSelectCertificateForUrls\":[\"{\\\"pattern\\\":\\\"https://intranet.example\\\",\\\"filter\\\":{}}\"]}");
        File.WriteAllText(Path.Combine(folder, "other.json"), "{\"AutoSelectCertificateForUrls\":[]}");
        var set = target.Set(Url, "Citizen CA", Yes)!;
        Assert.Equal(CryptoModuleStatus.Added, set.Status);
        Assert.Contains("other.json", set.Message);
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file)))
        {
            Assert.Equal("https://www.ekeng.am", doc.RootElement.GetProperty("HomepageLocation").GetString());
            Assert.Equal(2, doc.RootElement.GetProperty("AutoSelectCertificateForUrls").GetArrayLength());
        }

        Assert.Equal(CryptoModuleStatus.Removed, target.Remove(Url, Yes)!.Status);
        Assert.True(File.Exists(file));
        Assert.DoesNotContain("crm.ekeng.am", File.ReadAllText(file));
        Assert.Contains("HomepageLocation", File.ReadAllText(file));

        File.Delete(file);
        target.Set(Url, "Citizen CA", Yes);
        Assert.Equal(CryptoModuleStatus.Removed, target.Remove(Url, Yes)!.Status);
        Assert.False(File.Exists(file));
        Assert.Equal(CryptoModuleStatus.NotPresent, target.Remove(Url, Yes)!.Status);
    }

    [Fact]
    public void A_Managed_File_That_Is_Not_Json_Is_Refused_And_Left_As_It_Was()
    {
        using var dir = new TempDir();
        var target = new ManagedPolicyFileTarget(ChromiumBrowser.Chrome, dir.Path);
        string file = Path.Combine(dir.Path, ManagedPolicyFileTarget.FileName);
        File.WriteAllText(file, "{ \"AutoSelectCertificateForUrls\": [ , ] ");
        var error = Assert.Throws<EkengException>(() => target.Set(Url, "Citizen CA", Yes));
        Assert.Equal("PolicyJsonInvalid", error.ErrorId);
        Assert.Equal("{ \"AutoSelectCertificateForUrls\": [ , ] ", File.ReadAllText(file));
    }

    [SkippableFact]
    public void A_Database_Certutil_Cannot_Make_Is_NssDatabaseUnavailable_And_Leaves_No_File()
    {
        Requires.Linux();

        using var dir = new TempDir();
        string folder = dir.Combine(".pki", "nssdb");
        var error = Assert.Throws<EkengException>(() => ChromiumNssDb.EnsureCreated(folder, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, certutil: "/bin/false"));
        Assert.Equal("NssDatabaseUnavailable", error.ErrorId);
        Assert.False(File.Exists(Path.Combine(folder, "cert9.db")));
        Assert.False(ChromiumNssDb.Exists(folder));
    }
}
