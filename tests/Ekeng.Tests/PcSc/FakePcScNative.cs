using Ekeng.PcSc;

namespace Ekeng.Tests.PcSc;

/// <summary>A scripted PC/SC library for unit tests of the managed layer (never used by integration tests).</summary>
internal sealed class FakePcScNative : IPcScNative
{
    public string LibraryName => "fake";
    public uint EstablishResult { get; set; }
    public Exception? EstablishThrows { get; set; }
    public string[] Readers { get; set; } = Array.Empty<string>();
    public Func<ReaderStateEntry[], uint, uint>? OnGetStatusChange { get; set; }
    public Queue<byte[]> Responses { get; } = new();
    public List<byte[]> Sent { get; } = new();
    public int CancelCalls;

    public uint EstablishContext(out IntPtr context)
    {
        context = (IntPtr)1;
        if (EstablishThrows != null)
        {
            throw EstablishThrows;
        }

        return EstablishResult;
    }

    public uint ReleaseContext(IntPtr context) => 0;

    public uint ListReaders(IntPtr context, out string[] readers)
    {
        readers = Readers;
        return Readers.Length == 0 ? PcScResult.NoReadersAvailable : PcScResult.Success;
    }

    public uint GetStatusChange(IntPtr context, uint timeoutMs, ReaderStateEntry[] states)
        => OnGetStatusChange?.Invoke(states, timeoutMs) ?? PcScResult.Success;

    public uint Cancel(IntPtr context)
    {
        Interlocked.Increment(ref CancelCalls);
        return 0;
    }

    public uint Connect(IntPtr context, string reader, uint preferredProtocols, out IntPtr card, out uint activeProtocol)
    {
        card = (IntPtr)2;
        activeProtocol = (uint)CardProtocol.T0;
        return 0;
    }

    public uint Reconnect(IntPtr card, uint preferredProtocols, CardDisposition initialization, out uint activeProtocol)
    {
        activeProtocol = (uint)CardProtocol.T0;
        return 0;
    }

    public uint Disconnect(IntPtr card, CardDisposition disposition) => 0;

    public uint Transmit(IntPtr card, uint protocol, byte[] command, byte[] response, out int responseLength)
    {
        Sent.Add(command);
        byte[] next = Responses.Dequeue();
        next.CopyTo(response, 0);
        responseLength = next.Length;
        return 0;
    }
}
