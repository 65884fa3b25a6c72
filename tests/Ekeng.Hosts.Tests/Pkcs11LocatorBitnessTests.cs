using System.Runtime.InteropServices;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.Platform;

namespace Ekeng.Hosts.Tests;

/// <summary>
/// The card's middleware on 64-bit Windows seen from a 32-bit PowerShell (Intune's default script host) and from a
/// 64-bit one: both program folders are searched, and a library of the other bitness is named with what to do.
/// The environment is faked; the libraries are crafted PE headers read by the real header reader.
/// </summary>
public sealed class Pkcs11LocatorBitnessTests : IDisposable
{
    private const string Native = @"C:\Program Files";
    private const string X86 = @"C:\Program Files (x86)";
    private static readonly string Suite64 = Path.Combine(Native, "CryptoTech", "CryptoCard", "CCPkiP11.dll");
    private static readonly string Suite32 = Path.Combine(X86, "CryptoTech", "CryptoCard", "CCPkiP11.dll");
    private static readonly string OpenSc64 = Path.Combine(Native, "OpenSC Project", "OpenSC", "pkcs11", "opensc-pkcs11.dll");

    private readonly string _dir = Directory.CreateTempSubdirectory("ekeng-bitness-").FullName;
    private readonly string _pe64;
    private readonly string _pe32;

    public Pkcs11LocatorBitnessTests()
    {
        _pe64 = CraftPe("x64.dll", 0x8664, 0x20B);
        _pe32 = CraftPe("x86.dll", 0x014C, 0x10B);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A file with a DOS header pointing at a PE header of the given machine and optional-header magic.</summary>
    private string CraftPe(string name, ushort machine, ushort magic)
    {
        var bytes = new byte[512];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        BitConverter.GetBytes(0x80).CopyTo(bytes, 0x3C);
        "PE\0\0"u8.ToArray().CopyTo(bytes, 0x80);
        BitConverter.GetBytes(machine).CopyTo(bytes, 0x80 + 4);
        BitConverter.GetBytes(magic).CopyTo(bytes, 0x80 + 24);
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The environment of a 32-bit process on 64-bit Windows: %ProgramFiles% is the x86 folder.</summary>
    private static readonly Dictionary<string, string> Wow64Environment = new()
    {
        ["ProgramFiles"] = X86,
        ["ProgramFiles(x86)"] = X86,
        ["ProgramW6432"] = Native,
    };

    /// <summary>The environment of a 64-bit process on 64-bit Windows.</summary>
    private static readonly Dictionary<string, string> NativeEnvironment = new()
    {
        ["ProgramFiles"] = Native,
        ["ProgramFiles(x86)"] = X86,
        ["ProgramW6432"] = Native,
    };

    private Pkcs11ModuleLocator Locator(Architecture process, Dictionary<string, string> environment, Dictionary<string, string> installed) =>
        new(installed.ContainsKey,
            name => environment.TryGetValue(name, out string? value) ? value : null,
            OsPlatform.Windows,
            process,
            path => installed.TryGetValue(path, out string? file) ? ModuleArchitecture.Read(file) : null);

    [Fact]
    public void The_crafted_headers_read_as_x64_and_x86()
    {
        Assert.Equal(Architecture.X64, ModuleArchitecture.Read(_pe64));
        Assert.Equal(Architecture.X86, ModuleArchitecture.Read(_pe32));
    }

    [Fact]
    public void A_32_bit_host_searches_both_program_folders_its_own_first()
    {
        IReadOnlyList<string> places = Locator(Architecture.X86, Wow64Environment, new()).MiddlewareCandidates();

        Assert.Equal(new[] { Suite32, Suite64 }, places);
    }

    [Fact]
    public void A_64_bit_host_searches_both_program_folders_its_own_first()
    {
        Assert.Equal(new[] { Suite64, Suite32 }, Locator(Architecture.X64, NativeEnvironment, new()).MiddlewareCandidates());
    }

    [Fact]
    public void A_32_bit_host_with_only_the_64_bit_middleware_says_which_and_to_run_a_64_bit_host()
    {
        var locator = Locator(Architecture.X86, Wow64Environment, new() { [Suite64] = _pe64, [OpenSc64] = _pe64 });

        var error = Assert.Throws<EkengException>(() => locator.Resolve(null));

        Assert.Equal("Pkcs11ModuleArchitectureMismatch", error.ErrorId);
        Assert.Contains("CryptoCard Suite is installed as a 64-bit X64 library", error.Message);
        Assert.Contains(Suite64, error.Message);
        Assert.Contains("this PowerShell is a 32-bit X86 process", error.Message);
        Assert.Contains("Run the script in a 64-bit PowerShell host", error.RecommendedAction);
        Assert.Contains("'Run script in 64-bit PowerShell host' to Yes", error.RecommendedAction);
        Assert.Equal(Suite64, error.TargetObject);
        // Get-EkengCard's search (TryResolve) says the same instead of quietly finding nothing.
        Assert.Equal("Pkcs11ModuleArchitectureMismatch", Assert.Throws<EkengException>(() => locator.TryResolve(null, out _)).ErrorId);
    }

    [Fact]
    public void Each_host_takes_the_build_of_its_own_bitness_when_both_are_installed()
    {
        var installed = new Dictionary<string, string> { [Suite64] = _pe64, [Suite32] = _pe32 };

        Assert.Equal(Suite32, Locator(Architecture.X86, Wow64Environment, installed).Resolve(null));
        Assert.Equal(Suite64, Locator(Architecture.X64, NativeEnvironment, installed).Resolve(null));
    }

    [Fact]
    public void A_64_bit_host_with_only_a_32_bit_middleware_is_told_so_not_handed_OpenSC()
    {
        var locator = Locator(Architecture.X64, NativeEnvironment, new() { [Suite32] = _pe32, [OpenSc64] = _pe64 });

        var error = Assert.Throws<EkengException>(() => locator.Resolve(null));

        Assert.Contains("CryptoCard Suite is installed as a 32-bit X86 library", error.Message);
        Assert.Contains("Run the script in a 32-bit PowerShell host, or install the 64-bit build of CryptoCard Suite", error.RecommendedAction);
    }

    [Fact]
    public void The_library_to_register_in_Firefox_ignores_this_host_s_bitness()
    {
        // Firefox loads the library, not this PowerShell: its own bitness is checked where Firefox is known.
        Assert.Equal(Suite64, Locator(Architecture.X86, Wow64Environment, new() { [Suite64] = _pe64 }).ResolveOrDefault());
    }
}
