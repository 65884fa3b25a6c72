using System.Net;
using System.Text;

namespace Ekeng.Payments.Tests;

/// <summary>An HttpMessageHandler that answers from a script and records every request (method and path).</summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _answer;

    public ScriptedHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) => _answer = answer;

    public List<string> Requests { get; } = [];

    public List<string> Bodies { get; } = [];

    public int Count(string methodAndPath) => Requests.Count(r => r == methodAndPath);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string line = request.Method.Method + " " + request.RequestUri!.AbsolutePath;
        Requests.Add(line);
        Bodies.Add(request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
        return _answer(request, Requests.Count(r => r == line));
    }

    public static HttpResponseMessage Json(int status, string json) =>
        new((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static FeeClient Client(ScriptedHandler handler, int getAttempts = 3) =>
        new(new Ekeng.Http.EkengSession(handler, new Ekeng.Http.EkengSessionOptions(new Uri("https://127.0.0.1:5001/"), Ekeng.Http.ServerTrust.System)
        {
            ServiceName = "the EKENG fee service",
            GetAttempts = getAttempts,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        }));
}
