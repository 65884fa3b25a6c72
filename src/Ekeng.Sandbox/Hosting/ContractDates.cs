using System.Globalization;

namespace Ekeng.Sandbox.Hosting;

/// <summary>The contract's formats: timestamps ISO 8601 UTC to the second, dates yyyy-MM-dd.</summary>
public static class ContractDates
{
    public static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
