using System.Runtime.InteropServices;
using Ekeng.Diagnostics;
using Ekeng.Payments;
using Ekeng.Tests.Firefox;

namespace Ekeng.Tests.Platform;

/// <summary>
/// The fee receipt goes to a path the user names, perhaps with root's rights: it is written through AtomicFile, so
/// never through a link, never into a folder its owner could not write, and never half.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReceiptFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_Receipt_Path_That_Is_A_Symlink_To_A_Victim_File_Leaves_The_Victim_Untouched()
    {
        Requires.Linux();

        using var elsewhere = new TempDir();
        string victim = elsewhere.Combine("victim");
        File.WriteAllText(victim, "untouched");
        string receipt = _dir.Combine("receipt.pdf");
        File.CreateSymbolicLink(receipt, victim);

        // With force (replace what is there): refused, the link is not written through nor replaced.
        var forced = Assert.Throws<EkengException>(() => ReceiptFile.WriteAtomically(receipt, "%PDF-new"u8.ToArray(), force: true));
        Assert.Equal("UnsafeFile", forced.ErrorId);

        // Without force: an existing name is never replaced.
        var kept = Assert.Throws<EkengException>(() => ReceiptFile.WriteAtomically(receipt, "%PDF-new"u8.ToArray(), force: false));
        Assert.Equal(FeeErrors.ReceiptExists.Id, kept.ErrorId);

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Equal(victim, new FileInfo(receipt).LinkTarget);
        Assert.Equal(new[] { "receipt.pdf" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_Write_That_Fails_Midway_Leaves_Neither_A_Receipt_Nor_A_Temporary_File()
    {
        string receipt = _dir.Combine("receipt.pdf");
        var error = Assert.Throws<EkengException>(() => ReceiptFile.WriteAtomically(receipt, stream =>
        {
            stream.Write(new byte[64 * 1024], 0, 64 * 1024);
            stream.Flush();
            throw new IOException("No space left on device (injected after 64 KiB were written).");
        }, force: false));

        Assert.Equal(FeeErrors.ReceiptWriteFailed.Id, error.ErrorId);
        Assert.Contains("No space left", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void A_Write_That_Fails_Midway_With_Force_Keeps_The_Previous_Receipt_Whole()
    {
        string receipt = _dir.Combine("receipt.pdf");
        File.WriteAllText(receipt, "%PDF-previous");
        var error = Assert.Throws<EkengException>(() => ReceiptFile.WriteAtomically(receipt, stream =>
        {
            stream.Write(new byte[1000], 0, 1000);
            throw new IOException("injected");
        }, force: true));

        Assert.Equal(FeeErrors.ReceiptWriteFailed.Id, error.ErrorId);
        Assert.Equal("%PDF-previous", File.ReadAllText(receipt));
        Assert.Equal(new[] { "receipt.pdf" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void Run_As_Root_A_Receipt_Folder_That_Is_A_Users_Symlink_To_Roots_Folder_Is_Refused()
    {
        Requires.Root();

        string home = _dir.Combine("home");
        Directory.CreateDirectory(home);
        Assert.Equal(0, LChown(home, 65534, 65534));
        string rootsFolder = _dir.Combine("root's folder");
        Directory.CreateDirectory(rootsFolder);
        string link = Path.Combine(home, "Receipts");
        File.CreateSymbolicLink(link, rootsFolder);
        Assert.Equal(0, LChown(link, 65534, 65534));

        var error = Assert.Throws<EkengException>(() => ReceiptFile.WriteAtomically(Path.Combine(link, "receipt.pdf"), "%PDF"u8.ToArray(), force: false));
        Assert.Equal("UnsafeFolder", error.ErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(rootsFolder));

        // Written into the user's own folder, the receipt is theirs.
        string own = Path.Combine(home, "receipt.pdf");
        ReceiptFile.WriteAtomically(own, "%PDF"u8.ToArray(), force: false);
        Assert.Equal((65534u, 65534u), Ekeng.Platform.UnixNative.GetOwner(own));
    }

    [DllImport("libc", EntryPoint = "lchown")]
    private static extern int LChown(string path, uint owner, uint group);
}
