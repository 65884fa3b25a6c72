using System.Net;
using System.Text.Json;

namespace Ekeng.Http
{
    /// <summary>A non-success reply of an EKENG service: <c>{"error": "&lt;Id&gt;", "message": "...", ...}</c> (docs/WIRE-CONTRACT.md).</summary>
    public sealed class EkengHttpError
    {
        internal EkengHttpError(HttpStatusCode statusCode, string? errorId, string? message, TimeSpan? retryAfter, JsonElement body)
        {
            StatusCode = statusCode;
            ErrorId = errorId;
            Message = message;
            RetryAfter = retryAfter;
            Body = body;
        }

        public HttpStatusCode StatusCode { get; }

        /// <summary>The server's error id (<c>error</c>), or null when the body was not the contract's.</summary>
        public string? ErrorId { get; }

        /// <summary>The server's text for a person (<c>message</c>).</summary>
        public string? Message { get; }

        /// <summary>From the Retry-After header (or <c>retryAfterSeconds</c>).</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The whole JSON body (undefined when there was none).</summary>
        public JsonElement Body { get; }

        /// <summary>The server's reason as one phrase: the message, else the id, else the status.</summary>
        public string Reason => Message ?? ErrorId ?? $"HTTP {(int)StatusCode} {StatusCode}";

        public int? GetInt32(string name) =>
            Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : (int?)null;

        public string? GetString(string name) =>
            Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
