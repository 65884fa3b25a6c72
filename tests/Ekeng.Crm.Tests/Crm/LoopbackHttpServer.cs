using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 for the client's limits: it counts the connections it accepts and the bytes it
/// receives, reads one request head (and its Content-Length body), then lets <c>answer</c> write the reply on the
/// stream (a redirect, a huge body...). Bytes the answer managed to write are counted in <see cref="BytesSent"/>.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, Stream, LoopbackHttpServer, Task> _answer;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;
    private long _received;
    private long _sent;

    public LoopbackHttpServer(Func<string, Stream, LoopbackHttpServer, Task> answer)
    {
        _answer = answer;
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public int Connections => Volatile.Read(ref _connections);

    public long BytesReceived => Interlocked.Read(ref _received);

    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Set when an answer ended because the client closed the connection.</summary>
    public TaskCompletionSource ClientClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void AddSent(long n) => Interlocked.Add(ref _sent, n);

    public static Task WriteAsync(Stream s, string text) => s.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient? client = null;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                // Stopped (Dispose): the loop ends.
                _stop.Cancel();
            }

            if (client is null)
            {
                continue;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    NetworkStream stream = client.GetStream();
                    try
                    {
                        string head = await ReadRequestAsync(stream);
                        await _answer(head, stream, this);
                        await stream.FlushAsync();
                    }
                    catch (IOException)
                    {
                        ClientClosed.TrySetResult();
                    }
                    catch (SocketException)
                    {
                        ClientClosed.TrySetResult();
                    }
                }
            });
        }
    }

    private async Task<string> ReadRequestAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(one);
            if (n == 0)
            {
                break;
            }

            Interlocked.Increment(ref _received);
            head.Append((char)one[0]);
        }

        string text = head.ToString();
        foreach (string line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                int length = int.Parse(line["Content-Length:".Length..].Trim());
                var body = new byte[length];
                int at = 0;
                while (at < length)
                {
                    int n = await stream.ReadAsync(body.AsMemory(at));
                    if (n == 0)
                    {
                        break;
                    }

                    at += n;
                    Interlocked.Add(ref _received, n);
                }
            }
        }

        return text;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
