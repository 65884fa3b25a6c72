using Xunit.Sdk;

namespace Ekeng.Testing;

/// <summary>
/// What a test needs from the machine. When it is missing the test is SKIPPED with the reason (never passed by
/// returning early); with CI=true it FAILS, since CI installs every rig (build.ps1 -Task Deps).
/// Tests that call it are [SkippableFact] (Xunit.SkippableFact). One file, linked into every xunit project.
/// </summary>
public static class Requires
{
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") == "true";

    public static void Linux() => That(OperatingSystem.IsLinux(), "needs Linux");

    public static void Root() => That(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root");

    public static void InstalledFile(string path, string package) =>
        That(File.Exists(path), $"{path} is missing: install the Debian package '{package}' (build.ps1 -Task Deps)");

    public static void That(bool condition, string reason)
    {
        if (!condition)
        {
            throw IsCi
                ? (Exception)new XunitException($"CI=true never skips a test, but it {reason}.")
                : new Xunit.SkipException($"SKIPPED: {reason}.");
        }
    }
}
