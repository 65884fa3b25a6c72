using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// Before TLS on every listener: a connection whose first byte is not a TLS handshake record (0x16), e.g. a plain
/// HTTP request to the HTTPS port, gets a short plain "400, use https" answer and is closed, instead of a silent
/// reset or a TLS error in the log.
/// </summary>
public static class PlainHttpRefusal
{
    private const byte TlsHandshake = 0x16;

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 62\r\n\r\n" +
        "This port speaks HTTPS only: use https:// (TLS), not http://.\n");

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        PipeReader input = connection.Transport.Input;
        ReadResult read;
        try
        {
            read = await input.ReadAsync(connection.ConnectionClosed);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (read.Buffer.IsEmpty)
        {
            input.AdvanceTo(read.Buffer.Start);
            return;
        }
        byte first = read.Buffer.FirstSpan[0];
        // Nothing consumed: TLS reads the same bytes next.
        input.AdvanceTo(read.Buffer.Start, read.Buffer.Start);
        if (first == TlsHandshake)
        {
            await next(connection);
            return;
        }
        await connection.Transport.Output.WriteAsync(Answer, connection.ConnectionClosed);
        await connection.Transport.Output.CompleteAsync();
    };
}
