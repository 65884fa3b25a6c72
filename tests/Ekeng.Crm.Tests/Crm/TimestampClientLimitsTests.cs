using System.Text;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Signing;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>The time-stamp client keeps the HTTP limits of the other clients: no redirect followed, no reply over 1 MiB buffered.</summary>
public sealed class TimestampClientLimitsTests
{
    [Fact]
    public void A_Redirect_Is_Not_Followed_To_Another_Server()
    {
        using var elsewhere = new LoopbackHttpServer((_, s, _) => LoopbackHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        using var tsa = new LoopbackHttpServer((_, s, _) => LoopbackHttpServer.WriteAsync(s, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{elsewhere.Port}/tsa\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        using var client = new TimestampClient(new Uri(tsa.BaseUri, "tsa"), ServerTrust.System);
        var e = Assert.Throws<EkengException>(() => client.Stamp(Encoding.ASCII.GetBytes("signature value"), CancellationToken.None));
        Assert.Equal("TimestampFailed", e.ErrorId);
        Assert.Contains("307", e.Message);
        Assert.Equal(1, tsa.Connections);
        Assert.Equal(0, elsewhere.Connections);
    }

    [Fact]
    public void An_Endless_Reply_Is_Cut_At_1_MiB_Not_Buffered()
    {
        const long Endless = 512L * 1024 * 1024;
        using var tsa = new LoopbackHttpServer(async (_, s, server) =>
        {
            await LoopbackHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nTransfer-Encoding: chunked\r\n\r\n");
            var chunk = new byte[64 * 1024];
            byte[] size = Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n");
            byte[] crlf = Encoding.ASCII.GetBytes("\r\n");
            while (server.BytesSent < Endless)
            {
                await s.WriteAsync(size);
                await s.WriteAsync(chunk);
                await s.WriteAsync(crlf);
                server.AddSent(chunk.Length);
            }
        });
        using var client = new TimestampClient(new Uri(tsa.BaseUri, "tsa"), ServerTrust.System);
        var e = Assert.Throws<EkengException>(() => client.Stamp(Encoding.ASCII.GetBytes("signature value"), CancellationToken.None));
        Assert.Equal("TimestampFailed", e.ErrorId);
        Assert.Contains("larger than 1 MiB", e.Message);
        Assert.True(tsa.BytesSent < Endless, $"the client read {tsa.BytesSent} bytes: the whole reply");
    }
}
