namespace Ekeng.PcSc
{
    /// <summary>
    /// The PC/SC calls the layer needs, with handles as IntPtr and every DWORD as uint. Each OS has its own
    /// implementation because the struct layouts and DWORD widths differ (docs/ARCHITECTURE.md#card-and-token-facts).
    /// </summary>
    internal interface IPcScNative
    {
        /// <summary>The native library this implementation calls (for messages).</summary>
        string LibraryName { get; }

        uint EstablishContext(out IntPtr context);

        uint ReleaseContext(IntPtr context);

        uint ListReaders(IntPtr context, out string[] readers);

        uint GetStatusChange(IntPtr context, uint timeoutMs, ReaderStateEntry[] states);

        uint Cancel(IntPtr context);

        uint Connect(IntPtr context, string reader, uint preferredProtocols, out IntPtr card, out uint activeProtocol);

        uint Reconnect(IntPtr card, uint preferredProtocols, CardDisposition initialization, out uint activeProtocol);

        uint Disconnect(IntPtr card, CardDisposition disposition);

        uint Transmit(IntPtr card, uint protocol, byte[] command, byte[] response, out int responseLength);
    }
}
