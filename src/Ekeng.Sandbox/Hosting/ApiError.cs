namespace Ekeng.Sandbox.Hosting;

/// <summary>The contract's error body: {"error": id, "message": text, ...extra fields}.</summary>
public static class ApiError
{
    public static IResult Result(int status, string id, string message, params (string Name, object? Value)[] extra)
    {
        var body = new Dictionary<string, object?> { ["error"] = id, ["message"] = message };
        foreach ((string name, object? value) in extra) body[name] = value;
        return Results.Json(body, statusCode: status);
    }

    public static Task Write(HttpContext context, int status, string id, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object?> { ["error"] = id, ["message"] = message });
    }
}
