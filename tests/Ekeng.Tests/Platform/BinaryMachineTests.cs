using Ekeng.Firefox;
using Ekeng.Platform;

using Ekeng.Tests.Firefox;

namespace Ekeng.Tests.Platform;

public sealed class BinaryMachineTests
{
    /// <summary>The smallest header that says "PE": a DOS stub pointing at "PE\0\0", the machine, then the optional header magic.</summary>
    internal static byte[] Pe(ushort machine, ushort magic)
    {
        var bytes = new byte[0x80 + 24 + 2];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        BitConverter.GetBytes(0x80).CopyTo(bytes, 0x3C);
        "PE\0\0"u8.ToArray().CopyTo(bytes, 0x80);
        BitConverter.GetBytes(machine).CopyTo(bytes, 0x84);
        BitConverter.GetBytes(magic).CopyTo(bytes, 0x80 + 24);
        return bytes;
    }

    private static BinaryMachine? Read(byte[] bytes) => BinaryMachine.Read(new MemoryStream(bytes));

    [Fact]
    public void Reads_Pe_Machine_Types()
    {
        BinaryMachine x86 = Read(Pe(0x014C, 0x10B))!;
        BinaryMachine x64 = Read(Pe(0x8664, 0x20B))!;
        BinaryMachine arm64 = Read(Pe(0xAA64, 0x20B))!;
        Assert.Equal("x86 (32-bit)", x86.Architecture);
        Assert.False(x86.Is64Bit);
        Assert.Equal("x64 (64-bit)", x64.Architecture);
        Assert.True(x64.Is64Bit);
        Assert.Equal("ARM64", arm64.Architecture);
        Assert.NotEqual(x86, x64);
        Assert.Equal(x64, Read(Pe(0x8664, 0x20B)));
    }

    [Fact]
    public void Reads_Elf_And_Refuses_Garbage()
    {
        byte[] elf = new byte[64];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1 }.CopyTo(elf, 0);
        elf[18] = 62;
        Assert.Equal("ELF x64 (64-bit)", Read(elf)!.ToString());
        Assert.Null(Read("hello world, not a binary"u8.ToArray()));
        Assert.Null(Read(new byte[] { (byte)'M', (byte)'Z' }));
        byte[] badPe = Pe(0x8664, 0x20B);
        badPe[0x80] = (byte)'X';
        Assert.Null(Read(badPe));
    }

    [SkippableFact]
    public void This_Machines_Firefox_Is_Read_When_Installed()
    {
        const string libxul = "/usr/lib/firefox-esr/libxul.so";
        Requires.InstalledFile(libxul, "firefox-esr");

        BinaryMachine machine = BinaryMachine.Read(libxul)!;
        Assert.Equal("ELF", machine.Format);
        Assert.True(machine.Is64Bit);
    }
}
