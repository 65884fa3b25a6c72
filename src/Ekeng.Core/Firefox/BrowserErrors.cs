using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>Firefox profiles and policies, Chromium's NSS database and certificate policy (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class BrowserErrors
    {
        public static readonly EkengError FirefoxRunning = new EkengError("FirefoxRunning", EkengErrorKind.ResourceBusy, "Close Firefox and run the command again, or register the module machine-wide with -Scope Policy.");

        public static readonly EkengError ProfileNotFound = new EkengError("ProfileNotFound", EkengErrorKind.ObjectNotFound, "Check the path; for profiles.ini entries, Firefox removes stale ones from its Profile Manager (about:profiles).");

        public static readonly EkengError ProfilesIniCorrupt = new EkengError("ProfilesIniCorrupt", EkengErrorKind.InvalidData, "Repair or restore that profiles.ini (Firefox recreates it when it is deleted and the profile folders remain), or name the profile with -ProfilePath.");

        public static readonly EkengError ProfilesIniUnreadable = new EkengError("ProfilesIniUnreadable", EkengErrorKind.ReadError, "Check the file's permissions, or run as its owner.");

        public static readonly EkengError Pkcs11TxtCorrupt = new EkengError("Pkcs11TxtCorrupt", EkengErrorKind.InvalidData, "Close Firefox and restore the file from its backup (pkcs11.txt.bak), or delete it: Firefox recreates it with its built-in module on the next start.");

        public static readonly EkengError Pkcs11TxtUnreadable = new EkengError("Pkcs11TxtUnreadable", EkengErrorKind.ReadError, "Check the file's permissions, or run as the profile's owner.");

        public static readonly EkengError Pkcs11TxtWriteFailed = new EkengError("Pkcs11TxtWriteFailed", EkengErrorKind.WriteError, "Run as the profile's owner (or as root/Administrator).", CommandEnding.No, EkengErrorKind.PermissionDenied);

        public static readonly EkengError PolicyJsonInvalid = new EkengError("PolicyJsonInvalid", EkengErrorKind.InvalidData, "Fix or remove the file (the browser ignores it as it is), then run the command again.");

        public static readonly EkengError PolicyJsonUnreadable = new EkengError("PolicyJsonUnreadable", EkengErrorKind.ReadError, "Check the file's permissions, or run as root/Administrator.");

        public static readonly EkengError PolicyWriteFailed = new EkengError("PolicyWriteFailed", EkengErrorKind.WriteError, "Machine-wide policies need root (Linux, macOS) or an elevated Administrator session (Windows).", CommandEnding.No, EkengErrorKind.PermissionDenied);

        public static readonly EkengError RegistryPolicyWriteFailed = new EkengError("RegistryPolicyWriteFailed", EkengErrorKind.WriteError, "HKLM policies need an elevated (Administrator) session; use -RegistryHive CurrentUser for the current user only.", CommandEnding.No, EkengErrorKind.PermissionDenied);

        public static readonly EkengError RegistryPolicyUnsupported = new EkengError("RegistryPolicyUnsupported", EkengErrorKind.InvalidArgument, "Leave out -RegistryHive off Windows: the policy lives in policies.json there.");

        public static readonly EkengError ModuleLibraryNotFound = new EkengError("ModuleLibraryNotFound", EkengErrorKind.ObjectNotFound, "Install the card's middleware (CryptoTech CryptoCard Suite), give its library with -Path, or use -Force to register the path anyway (for a library installed later).");

        public static readonly EkengError ModuleArchitectureMismatch = new EkengError("ModuleArchitectureMismatch", EkengErrorKind.InvalidArgument, "Use the library built for the same CPU as Firefox (on 64-bit Windows: %ProgramFiles%, not %ProgramFiles(x86)%), or -Force to register it anyway.");

        public static readonly EkengError UnexpandedLibraryPath = new EkengError("UnexpandedLibraryPath", EkengErrorKind.InvalidArgument, "Give the full path (the variable expanded, in double quotes), or set the variable first.", CommandEnding.Parameters);

        public static readonly EkengError InvalidModuleValue = new EkengError("InvalidModuleValue", EkengErrorKind.InvalidArgument, "Give a name or path without a line break or NUL that does not start with a quote.");

        public static readonly EkengError ScopeConflict = new EkengError("ScopeConflict", EkengErrorKind.InvalidArgument, "Give -ProfilePath with -Scope Profile, and -PolicyPath or -RegistryHive with -Scope Policy.");

        public static readonly EkengError ChromiumPolicyScope = new EkengError("ChromiumPolicyScope", EkengErrorKind.InvalidArgument, "Use -Scope Profile for Chromium (its NSS database): Chromium has no policy that loads a module.");

        public static readonly EkengError NssDatabaseUnavailable = new EkengError("NssDatabaseUnavailable", EkengErrorKind.NotInstalled, "Start Chromium (or Chrome, Edge) once as this user: it creates the database; or install NSS's tools (Debian/Ubuntu: libnss3-tools), then run the command again.", CommandEnding.No, EkengErrorKind.OperationTimeout, EkengErrorKind.WriteError, EkengErrorKind.PermissionDenied);

        public static readonly EkengError PolicyValueInvalid = new EkengError("PolicyValueInvalid", EkengErrorKind.InvalidArgument, "Give an https:// URL pattern and the card CA's issuer common name.");

        public static readonly EkengError PolicyFolderNeedsOneBrowser = new EkengError("PolicyFolderNeedsOneBrowser", EkengErrorKind.InvalidArgument, "Give one -Browser with -PolicyFolder.");
    }
}
