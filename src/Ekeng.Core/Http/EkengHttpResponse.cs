using System.Net;

namespace Ekeng.Http
{
    /// <summary>A successful reply: its status (200 vs 201/202 matter to some calls) and its JSON body.</summary>
    public sealed class EkengHttpResponse<T>
    {
        internal EkengHttpResponse(HttpStatusCode statusCode, T value)
        {
            StatusCode = statusCode;
            Value = value;
        }

        public HttpStatusCode StatusCode { get; }

        public T Value { get; }
    }
}
