using System.Runtime.InteropServices;
using Ekeng.PcSc;

namespace Ekeng.Tests.PcSc;

/// <summary>
/// Pins the marshalled sizes of the per-OS PC/SC structs (docs/ARCHITECTURE.md#card-and-token-facts). A wrong size corrupts memory in
/// SCardGetStatusChange on that OS, so each layout is checked here whatever OS runs the test.
/// </summary>
public sealed class StructLayoutTests
{
    [Fact]
    public void PcscLite_ReaderState_Has_PointerSized_Dwords_And_33_Byte_Atr()
    {
        int p = IntPtr.Size;
        int raw = (2 * p) + (3 * p) + 33;
        int expected = (raw + p - 1) / p * p;
        Assert.Equal(expected, Marshal.SizeOf<PcscLiteNative.ReaderState>());
        Assert.Equal(p == 8 ? 80 : 48, Marshal.SizeOf<PcscLiteNative.ReaderState>());
        Assert.Equal(3 * p, (int)Marshal.OffsetOf<PcscLiteNative.ReaderState>(nameof(PcscLiteNative.ReaderState.EventState)));
        Assert.Equal(5 * p, (int)Marshal.OffsetOf<PcscLiteNative.ReaderState>(nameof(PcscLiteNative.ReaderState.Atr)));
        Assert.Equal(2 * p, Marshal.SizeOf<PcscLiteNative.IoRequest>());
    }

    [Fact]
    public void Windows_ReaderStateW_Has_32Bit_Dwords_And_36_Byte_Atr()
    {
        int p = IntPtr.Size;
        Assert.Equal(p == 8 ? 64 : 56, Marshal.SizeOf<WinSCardNative.ReaderState>());
        Assert.Equal((2 * p) + 4, (int)Marshal.OffsetOf<WinSCardNative.ReaderState>(nameof(WinSCardNative.ReaderState.EventState)));
        Assert.Equal((2 * p) + 12, (int)Marshal.OffsetOf<WinSCardNative.ReaderState>(nameof(WinSCardNative.ReaderState.Atr)));
        Assert.Equal(8, Marshal.SizeOf<WinSCardNative.IoRequest>());
    }

    [Fact]
    public void MacOS_ReaderState_Is_Packed_With_32Bit_Dwords_And_33_Byte_Atr()
    {
        int p = IntPtr.Size;
        Assert.Equal((2 * p) + 12 + 33, Marshal.SizeOf<MacPcscNative.ReaderState>());
        Assert.Equal((2 * p) + 12, (int)Marshal.OffsetOf<MacPcscNative.ReaderState>(nameof(MacPcscNative.ReaderState.Atr)));
        Assert.Equal(8, Marshal.SizeOf<MacPcscNative.IoRequest>());
    }

    [Fact]
    public void The_Layout_For_This_OS_Is_Chosen()
    {
        string library = PcScContext.CreateNative().LibraryName;
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal("winscard.dll", library);
        }
        else if (OperatingSystem.IsMacOS())
        {
            Assert.Contains("PCSC.framework", library);
        }
        else
        {
            Assert.Equal("libpcsclite.so.1", library);
        }
    }
}
