namespace Ekeng.Sandbox.Hosting;

/// <summary>An error result with a Retry-After header (seconds).</summary>
public sealed class RetryAfterResult(int seconds, IResult inner) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
