using System.Text.Json;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Payments.Wire
{
    /// <summary>
    /// Reads the fee API's bodies into their DTOs with the session's JSON (<see cref="EkengSession.Json"/>, as the CRM
    /// client does); an answer outside the contract is FeeProtocolError.
    /// </summary>
    internal static class FeeWire
    {
        /// <summary>The body as <typeparamref name="TDto"/>, then as the module's object.</summary>
        public static T Read<TDto, T>(JsonElement body, Func<TDto, T> map, string what)
        {
            try
            {
                TDto dto = JsonSerializer.Deserialize<TDto>(body, EkengSession.Json) ?? throw new JsonException("the body is null");
                return map(dto);
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException || e is OverflowException || e is NotSupportedException)
            {
                throw new EkengException(FeeErrors.FeeProtocolError, $"{what}: EKENG's answer does not follow the contract: {e.Message}", e);
            }
        }

        /// <summary>A date of the contract (<c>yyyy-MM-dd</c>; a full timestamp is cut to its UTC date).</summary>
        public static DateTime? DateOf(DateTime? value) =>
            value is DateTime d ? DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime().Date : d.Date, DateTimeKind.Unspecified) : (DateTime?)null;

        public static FormatException Missing(string name) => new FormatException($"'{name}' is missing");
    }
}
