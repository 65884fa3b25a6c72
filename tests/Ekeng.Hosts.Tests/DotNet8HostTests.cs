using System.Diagnostics;

namespace Ekeng.Hosts.Tests;

/// <summary>
/// The stand-in for PowerShell 7.4: tests/Ekeng.HostCheck, a self-contained .NET 8 program, loads the built module
/// into its default context as PowerShell 7 does and runs the JSON, phone-number and PDF paths.
/// </summary>
public sealed class DotNet8HostTests
{
    [SkippableFact]
    public void The_built_module_loads_and_runs_its_json_phone_and_pdf_paths_on_NET_8()
    {
        BuiltModule.RequireBuilt();
        BuiltModule.RequireHostCheck();
        var start = new ProcessStartInfo(Path.Combine(BuiltModule.HostCheckFolder, "Ekeng.HostCheck"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltModule.Folder);
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the .NET 8 host check did not end within 2 minutes");

        string all = output + error.Result;
        Assert.True(process.ExitCode == 0, all);
        Assert.StartsWith("RUNTIME 8.0.", output);
        Assert.Contains("PASS json: policies.json read: [ARMID, /usr/lib/ccs/libccpkip11.so] (System.Text.Json 8.0.0.0 from " + BuiltModule.HostCheckFolder, output);
        Assert.Contains("PASS phone: (077) 123456 -> +37477123456", output);
        Assert.Contains("PASS pdf: receipt rendered", output);
        Assert.Contains("PASS load Ekeng.Core:", output);
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("HOSTCHECK PASSED", output);
    }
}
