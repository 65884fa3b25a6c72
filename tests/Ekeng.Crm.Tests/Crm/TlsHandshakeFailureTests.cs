using System.Net;
using System.Net.Sockets;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>
/// TlsHandshakeFailed (README error table): a server on loopback that answers the ClientHello with a TLS
/// handshake_failure alert — what a service does when it accepts none of the client's offers. The session reports it
/// as TlsHandshakeFailed (SecurityError), not as the service being unreachable, and a GET is not retried into it.
/// </summary>
public sealed class TlsHandshakeFailureTests
{
    // TLS record: content type alert (21), version 3.3, length 2; alert level fatal (2), handshake_failure (40).
    private static readonly byte[] HandshakeFailureAlert = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };

    [Fact]
    public async Task A_Server_That_Refuses_The_Handshake_Is_TlsHandshakeFailed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        int connections = 0;
        using var stop = new CancellationTokenSource();
        Task server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using TcpClient client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                NetworkStream stream = client.GetStream();
                var hello = new byte[16384];
                int read = await stream.ReadAsync(hello, stop.Token);
                Assert.True(read > 5 && hello[0] == 0x16, "a TLS handshake record (the ClientHello) came first");
                await stream.WriteAsync(HandshakeFailureAlert, stop.Token);
                await stream.FlushAsync(stop.Token);
            }
        });

        var options = new EkengSessionOptions(new Uri($"https://127.0.0.1:{port}/"), ServerTrust.System) { GetAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(5) };
        using EkengSession session = EkengSession.Open(options);
        var e = await Assert.ThrowsAsync<EkengException>(() => new CrmClient(session).GetTermsAsync(CancellationToken.None));
        stop.Cancel();
        listener.Stop();
        await Task.WhenAny(server, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.True(e.ErrorId == "TlsHandshakeFailed", $"{e.ErrorId}: {e.Message}");
        Assert.Equal(EkengErrorKind.SecurityError, e.Kind);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Equal(1, connections);
    }
}
