using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>The registry as Windows keeps it: keys of values in creation order (what RegEnumValue returns).</summary>
internal sealed class FakeRegistry : IRegistryPolicyStore
{
    public Dictionary<string, List<KeyValuePair<string, string>>> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int Writes { get; private set; }
    public string HiveName => "HKLM";

    /// <summary>The Win32 error every write fails with, as RegSetValueEx's would (null: writes succeed).</summary>
    public int? FailWrites { get; set; }

    public IReadOnlyList<KeyValuePair<string, string>>? ReadValues(string subKey) => Keys.TryGetValue(subKey, out var v) ? v.ToList() : null;

    public void SetString(string subKey, string name, string value)
    {
        if (FailWrites is int error)
        {
            throw new System.ComponentModel.Win32Exception(error);
        }

        Writes++;
        if (!Keys.TryGetValue(subKey, out var values))
        {
            Keys[subKey] = values = new();
        }

        int i = values.FindIndex(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (i >= 0)
        {
            values[i] = new(values[i].Key, value);
        }
        else
        {
            values.Add(new(name, value));
        }
    }

    public void DeleteValue(string subKey, string name)
    {
        Writes++;
        if (Keys.TryGetValue(subKey, out var values))
        {
            values.RemoveAll(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        }
    }
}

public sealed class RegistryPolicyWriterTests
{
    private const string Base = @"Software\Policies\Mozilla\Firefox\SecurityDevices";
    private const string Dll = @"C:\Program Files\CryptoTech\CryptoCard\CCPkiP11.dll";
    private static readonly LibraryPaths Paths = new(new FakeEnvironment(OsPlatform.Windows, @"C:\Users\u", new() { ["ProgramFiles"] = @"C:\Program Files" }));

    [Fact]
    public void Set_Writes_The_Add_Value_Then_Is_Idempotent()
    {
        var registry = new FakeRegistry();
        var writer = new RegistryPolicyWriter(registry, MozillaApplication.Firefox, Paths);
        PolicyEdit first = writer.Set("ARMID (CryptoCard)", Dll, () => true);
        Assert.Equal(CryptoModuleStatus.Added, first.Status);
        Assert.Equal(Dll, registry.Keys[Base + @"\Add"].Single(v => v.Key == "ARMID (CryptoCard)").Value);
        Assert.Equal(@"HKLM\" + Base + @"\Add", writer.DisplayAddKey);

        int writes = registry.Writes;
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, writer.Set("ARMID (CryptoCard)", Dll, () => throw new InvalidOperationException("must not ask")).Status);
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, writer.Set("Other", @"%ProgramFiles%\cryptotech\CRYPTOCARD\ccpkip11.DLL", () => true).Status);
        Assert.Equal(writes, registry.Writes);
    }

    [Fact]
    public void Thunderbird_Has_Its_Own_Key_And_WhatIf_Writes_Nothing()
    {
        var registry = new FakeRegistry();
        var writer = new RegistryPolicyWriter(registry, MozillaApplication.Thunderbird, Paths);
        Assert.Equal(@"Software\Policies\Mozilla\Thunderbird\SecurityDevices", writer.BaseKey);
        writer.Set("ARMID (CryptoCard)", Dll, () => false);
        Assert.Equal(0, registry.Writes);
    }

    [Fact]
    public void Delete_Is_Rewritten_As_1_To_N_So_Firefox_Reads_An_Array()
    {
        var registry = new FakeRegistry();
        registry.Keys[Base + @"\Delete"] = new() { new("1", "Gone"), new("2", "ARMID (CryptoCard)"), new("3", "Also gone") };
        var writer = new RegistryPolicyWriter(registry, MozillaApplication.Firefox, Paths);
        Assert.Equal(CryptoModuleStatus.Added, writer.Set("ARMID (CryptoCard)", Dll, () => true).Status);
        Assert.Equal(new[] { "1=Gone", "2=Also gone" }, registry.Keys[Base + @"\Delete"].Select(v => v.Key + "=" + v.Value));

        PolicyEdit removed = writer.Remove("ARMID (CryptoCard)", null, () => true);
        Assert.Equal(CryptoModuleStatus.Removed, removed.Status);
        Assert.DoesNotContain(registry.Keys[Base + @"\Add"], v => v.Key == "ARMID (CryptoCard)");
        Assert.Equal(new[] { "1=Gone", "2=Also gone", "3=ARMID (CryptoCard)" }, registry.Keys[Base + @"\Delete"].Select(v => v.Key + "=" + v.Value));
        Assert.Equal(CryptoModuleStatus.NotPresent, writer.Remove("ARMID (CryptoCard)", null, () => true).Status);
    }

    [Fact]
    public void Flat_Values_Move_Into_Add_So_They_Stay_Live()
    {
        var registry = new FakeRegistry();
        registry.Keys[Base] = new() { new("Old", @"C:\old.dll") };
        var writer = new RegistryPolicyWriter(registry, MozillaApplication.Firefox, Paths);
        writer.Set("ARMID (CryptoCard)", Dll, () => true);
        Assert.Empty(registry.Keys[Base]);
        Assert.Equal(new[] { "Old", "ARMID (CryptoCard)" }, registry.Keys[Base + @"\Add"].Select(v => v.Key));
    }
}
