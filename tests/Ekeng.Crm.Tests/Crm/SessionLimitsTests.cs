using System.Text;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>
/// The HTTP client's limits against real loopback servers: a redirect is never followed (a POST with an SMS code
/// never reaches the host it points to, nor does a GET), and an answer over 1 MiB is refused while it is read, not
/// after buffering it.
/// </summary>
public sealed class SessionLimitsTests
{
    private static EkengSession Open(Uri baseUri) =>
        EkengSession.Open(new EkengSessionOptions(baseUri, ServerTrust.System) { GetAttempts = 1, Timeout = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task A_307_Is_Not_Followed_The_Other_Host_Receives_Nothing()
    {
        using var elsewhere = new LoopbackHttpServer((_, s, _) => LoopbackHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
        string target = $"http://127.0.0.1:{elsewhere.Port}/api/v1/registration/activate";
        using var crm = new LoopbackHttpServer((_, s, _) => LoopbackHttpServer.WriteAsync(s, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        using EkengSession session = Open(crm.BaseUri);

        byte[] secret = Encoding.UTF8.GetBytes("""{"code":"48151623"}""");
        var post = await Assert.ThrowsAsync<EkengException>(() => session.PostUtf8Async<System.Text.Json.JsonElement>("api/v1/registration/activate", secret, null, CancellationToken.None));
        Assert.Equal("CrmRedirectRefused", post.ErrorId);
        Assert.Equal(EkengErrorKind.SecurityError, post.Kind);
        Assert.Contains("307", post.Message);

        var get = await Assert.ThrowsAsync<EkengException>(() => session.GetAsync<System.Text.Json.JsonElement>("api/v1/me", null, CancellationToken.None));
        Assert.Equal("CrmRedirectRefused", get.ErrorId);

        Assert.Equal(2, crm.Connections);
        Assert.Equal(0, elsewhere.Connections);
        Assert.Equal(0, elsewhere.BytesReceived);
    }

    [Fact]
    public async Task An_Announced_Body_Over_1_MiB_Is_Refused_Unread()
    {
        using var crm = new LoopbackHttpServer(async (_, s, server) =>
        {
            await LoopbackHttpServer.WriteAsync(s, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n");
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            for (int i = 0; i < 32; i++)
            {
                await s.WriteAsync(chunk);
                server.AddSent(chunk.Length);
            }
        });
        using EkengSession session = Open(crm.BaseUri);
        var e = await Assert.ThrowsAsync<EkengException>(() => session.GetAsync<System.Text.Json.JsonElement>("api/v1/fee/orders", null, CancellationToken.None));
        Assert.Equal("CrmResponseTooLarge", e.ErrorId);
        Assert.Equal(EkengErrorKind.LimitsExceeded, e.Kind);
        Assert.Contains("2097152 bytes announced", e.Message);
    }

    [Fact]
    public async Task An_Endless_Chunked_Body_Is_Cut_At_The_Limit_Not_Buffered()
    {
        const long Endless = 512L * 1024 * 1024;
        using var crm = new LoopbackHttpServer(async (_, s, server) =>
        {
            await LoopbackHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
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
        using EkengSession session = Open(crm.BaseUri);
        var e = await Assert.ThrowsAsync<EkengException>(() => session.GetAsync<System.Text.Json.JsonElement>("api/v1/fee/orders", null, CancellationToken.None));
        Assert.Equal("CrmResponseTooLarge", e.ErrorId);
        Assert.Contains("more than 1048576 bytes sent", e.Message);
        session.Dispose();

        // The client stopped reading at the limit and closed: the server's writes fail long before the 512 MiB.
        await crm.ClientClosed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(crm.BytesSent < Endless, $"the server sent {crm.BytesSent} bytes");
    }

    [Fact]
    public async Task An_Answer_Under_The_Limit_Is_Read()
    {
        string json = "{\"pad\":\"" + new string('x', 900 * 1024) + "\"}";
        using var crm = new LoopbackHttpServer((_, s, _) => LoopbackHttpServer.WriteAsync(s, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\nConnection: close\r\n\r\n{json}"));
        using EkengSession session = Open(crm.BaseUri);
        EkengHttpResponse<System.Text.Json.JsonElement> r = await session.GetAsync<System.Text.Json.JsonElement>("api/v1/fee", null, CancellationToken.None);
        Assert.Equal(900 * 1024, r.Value.GetProperty("pad").GetString()!.Length);
    }
}
