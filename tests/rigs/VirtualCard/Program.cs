using Ekeng.PcSc;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Ekeng.Rigs.VirtualCard;

/// <summary>
/// The virtual card: a TCP client of vsmartcard's vpcd (the IFD handler pcscd loads) on 127.0.0.1.
/// vpcd wire format (vsmartcard docs, "Creating a virtual smart card"): every message is a 2-byte
/// big-endian length and a payload. A 1-byte payload is a control code: 0 power off, 1 power on,
/// 2 reset (no reply), 4 get ATR (reply: the framed ATR). Anything longer is a C-APDU; the reply is
/// the framed R-APDU. Closing the socket is "card removed", connecting is "card inserted". vpcd asks
/// for the ATR on every presence poll (~every 400 ms), so ATR events repeat while the card sits in
/// the reader.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (OptionsException ex)
        {
            (ex.Help ? Console.Out : Console.Error).WriteLine(ex.Message);
            return ex.Help ? 0 : 2;
        }

        using var card = new VirtualCardProcess(options);
        return card.Run();
    }
}

/// <summary>Connection state machine, stdin commands, signals and event lines.</summary>
internal sealed class VirtualCardProcess : IDisposable
{
    private static readonly TimeSpan ConnectWindow = TimeSpan.FromSeconds(10);

    private readonly Options _options;
    private readonly CardApplet _applet;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new();
    private readonly StreamWriter _out;
    private readonly List<PosixSignalRegistration> _signals = [];
    private CancellationTokenSource? _session;
    private bool _wantInserted = true;
    private int _exitCode;

    public VirtualCardProcess(Options options)
    {
        _options = options;
        _applet = new CardApplet(options.Aid, options.Serial);
        _out = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    public int Run()
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // shut down ourselves: close the socket, say DISCONNECTED, exit 0
                _stop.Cancel();
            }));
        }

        var stdin = new Thread(ReadCommands) { IsBackground = true, Name = "stdin" };
        stdin.Start();
        if (_options.ParentPid is int parent)
        {
            _ = WatchParentAsync(parent);
        }

        ServeLoopAsync().GetAwaiter().GetResult();
        return _exitCode;
    }

    public void Dispose()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _stop.Dispose();
        _wake.Dispose();
        _out.Dispose();
    }

    private void Emit(string line)
    {
        lock (_out)
        {
            try
            {
                _out.WriteLine(line);
            }
            catch (IOException)
            {
                // nobody reads our stdout any more; keep playing the card
            }
        }
    }

    private async Task ServeLoopAsync()
    {
        bool first = true;
        while (!_stop.IsCancellationRequested)
        {
            CancellationTokenSource? session = null;
            lock (_gate)
            {
                if (_wantInserted)
                {
                    session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    _session = session; // "remove" cancels it
                }
            }

            if (session is null)
            {
                // removed: wait for "insert" (or the end)
                try
                {
                    await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            using (session)
            {
                using Socket? socket = await ConnectAsync(session.Token).ConfigureAwait(false);
                if (socket is null)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }

                    if (session.IsCancellationRequested)
                    {
                        continue; // "remove" while still connecting
                    }

                    Emit($"CONNECT_FAILED 127.0.0.1:{_options.Port}");
                    if (first)
                    {
                        _exitCode = 3;
                        break;
                    }

                    lock (_gate)
                    {
                        _wantInserted = false;
                    }

                    continue;
                }

                first = false;
                Emit("CONNECTED");
                try
                {
                    await ServeAsync(socket, session.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                    // removed, stopped, or vpcd went away
                }

                try
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }

                socket.Close();
                _applet.Reset();
                Emit("DISCONNECTED");
                lock (_gate)
                {
                    _session = null;
                }
            }

            if (!_stop.IsCancellationRequested && !session.IsCancellationRequested)
            {
                // vpcd closed the connection (pcscd stopped or restarted): like a card left in a reader, reconnect.
                try
                {
                    await Task.Delay(100, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<Socket?> ConnectAsync(CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        var endpoint = new IPEndPoint(IPAddress.Loopback, _options.Port); // loopback only, by design
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancel).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                if (deadline.Elapsed > ConnectWindow)
                {
                    return null;
                }
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return null;
            }

            try
            {
                await Task.Delay(50, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancel)
    {
        var header = new byte[2];
        var payload = new byte[ushort.MaxValue];
        while (true)
        {
            if (!await ReceiveExactAsync(socket, header, cancel).ConfigureAwait(false))
            {
                return;
            }

            int length = (header[0] << 8) | header[1];
            if (length == 0)
            {
                continue;
            }

            var message = payload.AsMemory(0, length);
            if (!await ReceiveExactAsync(socket, message, cancel).ConfigureAwait(false))
            {
                return;
            }

            if (length == 1)
            {
                switch (message.Span[0])
                {
                    case 0:
                        _applet.Reset();
                        Emit("POWER_OFF");
                        break;
                    case 1:
                        _applet.Reset();
                        Emit("POWER_ON");
                        break;
                    case 2:
                        _applet.Reset();
                        Emit("RESET");
                        break;
                    case 4:
                        Emit("ATR");
                        await SendAsync(socket, _options.Atr, cancel).ConfigureAwait(false);
                        break;
                    default:
                        Emit($"CONTROL {message.Span[0]:X2}"); // unknown control code: no reply
                        break;
                }

                continue;
            }

            byte[] response = _applet.Process(message.Span);
            Emit($"APDU {Hex.Format(message.ToArray())} -> {Hex.Format(response)}");
            await SendAsync(socket, response, cancel).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ReceiveExactAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancel).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static async Task SendAsync(Socket socket, byte[] payload, CancellationToken cancel)
    {
        var frame = new byte[payload.Length + 2];
        frame[0] = (byte)(payload.Length >> 8);
        frame[1] = (byte)payload.Length;
        payload.CopyTo(frame, 2);
        int sent = 0;
        while (sent < frame.Length)
        {
            sent += await socket.SendAsync(frame.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
        }
    }

    private void ReadCommands()
    {
        while (true)
        {
            string? line;
            try
            {
                line = Console.In.ReadLine();
            }
            catch (IOException)
            {
                line = null;
            }

            if (line is null)
            {
                return; // stdin closed: keep serving until quit by signal
            }

            string[] words = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0].ToLowerInvariant())
            {
                case "remove":
                    lock (_gate)
                    {
                        _wantInserted = false;
                        _session?.Cancel();
                    }

                    break;
                case "insert":
                    lock (_gate)
                    {
                        _wantInserted = true;
                    }

                    _wake.Release();
                    break;
                case "ping":
                    Emit(words.Length > 1 ? $"PONG {words[1]}" : "PONG");
                    break;
                case "quit":
                case "exit":
                    _stop.Cancel();
                    return;
                default:
                    Emit($"ERROR unknown command '{words[0]}' (remove, insert, ping, quit)");
                    break;
            }
        }
    }

    private async Task WatchParentAsync(int pid)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(250, _stop.Token).ConfigureAwait(false);
                if (!IsAlive(pid))
                {
                    Emit($"PARENT_EXITED {pid}");
                    _stop.Cancel();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // gone, or a zombie (killed; its parent has not reaped it yet): "<pid> (<comm>) <state> ..."
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                int close = stat.LastIndexOf(')');
                return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
