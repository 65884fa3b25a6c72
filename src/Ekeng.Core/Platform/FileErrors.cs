using Ekeng.Diagnostics;

namespace Ekeng.Platform
{
    /// <summary>Files and folders read or written for the user, root-safe (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class FileErrors
    {
        public static readonly EkengError UnsafeFile = new EkengError("UnsafeFile", EkengErrorKind.SecurityError, "Replace it with a regular file (or delete it), then run the command again.");

        public static readonly EkengError FileTooLarge = new EkengError("FileTooLarge", EkengErrorKind.LimitsExceeded, "Check the file (it may not be what its name says); restore it from its backup or delete it.");

        public static readonly EkengError FolderBusy = new EkengError("FolderBusy", EkengErrorKind.ResourceBusy, "Wait for the other run (another PowerShell session, a deployment script) to end, then run the command again.");

        public static readonly EkengError UnsafeFolder = new EkengError("UnsafeFolder", EkengErrorKind.SecurityError, "Point the path (or the symbolic link) at a folder that the same user owns, or run the command as that user.");
    }
}
