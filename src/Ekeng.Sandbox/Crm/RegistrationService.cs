using System.Security.Cryptography;
using System.Text;
using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Crm;

/// <summary>Registration, SMS codes (6 digits, or 4 for register-and-pay), resend and activation.</summary>
public sealed class RegistrationService(SandboxDatabase db, Settings settings, SandboxOptions options, TimeProvider clock)
{
    public const string PurposeRegistration = "registration";
    public const string PurposeRegisterAndPay = "register-and-pay";

    public Dictionary<string, object?> View(Holder holder) =>
        db.Read(c => View(holder, RegistrationStore.Get(c, null, holder.PublicServiceNumber), RegistrationStore.LatestCode(c, null, holder.PublicServiceNumber)));

    public static Dictionary<string, object?> View(Holder holder, RegistrationRow? row, SmsCodeRow? code)
    {
        string status = row?.Status ?? "NotRegistered";
        object? codeView = status == "PendingCode" && code is not null
            ? new Dictionary<string, object?>
            {
                ["length"] = code.Code.Length,
                ["expiresAt"] = ContractDates.Time(code.ExpiresAt),
                ["attemptsLeft"] = code.State == "Live" ? code.AttemptsLeft : 0,
            }
            : null;
        return new Dictionary<string, object?>
        {
            ["holderName"] = row?.HolderName ?? holder.Name,
            ["publicServiceNumber"] = holder.PublicServiceNumber,
            ["phone"] = row?.Phone,
            ["status"] = status,
            ["payOnline"] = row?.PayOnline ?? false,
            ["termsVersion"] = row?.TermsVersion,
            ["requestedAt"] = ContractDates.Time(row?.RequestedAt),
            ["activatedAt"] = ContractDates.Time(row?.ActivatedAt),
            ["usableFrom"] = ContractDates.Time(row?.UsableFrom),
            ["paidUntil"] = row?.PaidUntil is { } p ? ContractDates.Date(p) : null,
            ["code"] = codeView,
        };
    }

    public async Task<IResult> Register(Holder holder, RegistrationRequest? request)
    {
        if (request is null) return ApiError.Result(400, "InvalidRequest", "A JSON body is required.");
        string? phone = MobileNumbers.NormaliseMobile(request.Phone);
        if (phone is null) return ApiError.Result(400, "InvalidPhone", "Not an Armenian mobile number (+374 and 8 digits of a mobile range).");
        if (!request.DataConfirmed) return ApiError.Result(400, "DataNotConfirmed", "The holder's data must be checked and confirmed.");
        if (!request.TermsAccepted) return ApiError.Result(400, "TermsNotAccepted", "The contract terms must be accepted.");
        string termsVersion = settings.Get("terms.version");
        if (request.TermsVersion != termsVersion)
            return ApiError.Result(409, "TermsVersionChanged", $"The terms are now version {termsVersion}; read and accept them again.", ("termsVersion", termsVersion));

        return await db.WriteAsync((c, tx) =>
        {
            RegistrationRow? row = RegistrationStore.Get(c, tx, holder.PublicServiceNumber);
            if (row is { Status: "Active" or "PendingPayment" })
                return Results.Json(View(holder, row, RegistrationStore.LatestCode(c, tx, holder.PublicServiceNumber)), statusCode: 200);

            DateTimeOffset now = clock.GetUtcNow();
            // A new POST while a code is pending sends a new code: the same interval as resend and the daily cap hold,
            // and a refused POST changes nothing (the pending code keeps its tries).
            SmsCodeRow? last = RegistrationStore.LatestCode(c, tx, holder.PublicServiceNumber);
            if (row is { Status: "PendingCode" } && last is not null && TooSoon(last, now) is { } tooSoon) return tooSoon;
            if (DailyLimitReached(c, tx, holder.PublicServiceNumber, now) is { } capped) return capped;
            var updated = new RegistrationRow(holder.PublicServiceNumber, holder.Name, phone, "PendingCode", request.PayOnline, termsVersion,
                now, null, null, row?.PaidUntil, row?.PeriodAnchor);
            RegistrationStore.Put(c, tx, updated);
            RegistrationStore.VoidLive(c, tx, holder.PublicServiceNumber);
            SmsCodeRow code = SendCode(c, tx, holder.PublicServiceNumber, phone, request.PayOnline ? PurposeRegisterAndPay : PurposeRegistration, now);
            return Results.Json(View(holder, updated, code), statusCode: 202);
        });
    }

    public Task<IResult> Resend(Holder holder) => db.WriteAsync((c, tx) =>
    {
        RegistrationRow? row = RegistrationStore.Get(c, tx, holder.PublicServiceNumber);
        SmsCodeRow? last = RegistrationStore.LatestCode(c, tx, holder.PublicServiceNumber);
        if (row is not { Status: "PendingCode", Phone: not null } || last is null)
            return ApiError.Result(409, "NoPendingCode", "There is no registration waiting for an SMS code.");
        DateTimeOffset now = clock.GetUtcNow();
        if (TooSoon(last, now) is { } tooSoon) return tooSoon;
        if (DailyLimitReached(c, tx, holder.PublicServiceNumber, now) is { } capped) return capped;
        RegistrationStore.VoidLive(c, tx, holder.PublicServiceNumber);
        SmsCodeRow code = SendCode(c, tx, holder.PublicServiceNumber, row.Phone, last.Purpose, now);
        return Results.Json(View(holder, row, code), statusCode: 202);
    });

    public async Task<IResult> Activate(Holder holder, ActivationRequest? request)
    {
        string submitted = request?.Code?.Trim() ?? "";
        return await db.WriteAsync((c, tx) =>
        {
            RegistrationRow? row = RegistrationStore.Get(c, tx, holder.PublicServiceNumber);
            SmsCodeRow? code = RegistrationStore.LatestCode(c, tx, holder.PublicServiceNumber);
            if (row is not { Status: "PendingCode" } || code is null)
                return ApiError.Result(409, "NoPendingCode", "There is no registration waiting for an SMS code.");
            DateTimeOffset now = clock.GetUtcNow();
            if (code.State != "Live")
                return ApiError.Result(410, "SmsCodeVoided", "The SMS code is void (three wrong codes, or a new one was sent); ask for a new code.");
            if (RegistrationStore.WasResentAway(c, tx, holder.PublicServiceNumber, submitted) && !Same(submitted, code.Code))
                return ApiError.Result(410, "SmsCodeVoided", "That SMS code was replaced by a newer one; use the latest code.");
            if (now >= code.ExpiresAt)
                return ApiError.Result(410, "SmsCodeExpired", "The SMS code has expired; ask for a new code.");
            if (!Same(submitted, code.Code))
            {
                int left = code.AttemptsLeft - 1;
                RegistrationStore.SetCodeState(c, tx, code.Id, left, left <= 0 ? "VoidedAttempts" : "Live");
                return ApiError.Result(400, "SmsCodeIncorrect",
                    left <= 0 ? "The SMS code is incorrect; it is now void, ask for a new code." : $"The SMS code is incorrect; {left} attempt(s) left.",
                    ("attemptsLeft", left));
            }
            RegistrationStore.SetCodeState(c, tx, code.Id, code.AttemptsLeft, "Used");
            DateOnly anchor = row.PeriodAnchor ?? DateOnly.FromDateTime(now.UtcDateTime);
            RegistrationRow updated = code.Purpose == PurposeRegisterAndPay
                ? row with { Status = "PendingPayment", PeriodAnchor = anchor }
                : row with { Status = "Active", ActivatedAt = now, UsableFrom = now + options.UsableDelay, PeriodAnchor = anchor };
            RegistrationStore.Put(c, tx, updated);
            return Results.Json(View(holder, updated, null), statusCode: 200);
        });
    }

    /// <summary>429 ResendTooSoon while the last code is younger than --resend-interval, else null.</summary>
    private IResult? TooSoon(SmsCodeRow last, DateTimeOffset now)
    {
        TimeSpan wait = last.SentAt + options.ResendInterval - now;
        if (wait <= TimeSpan.Zero) return null;
        int seconds = (int)Math.Ceiling(wait.TotalSeconds);
        return new RetryAfterResult(seconds, ApiError.Result(429, "ResendTooSoon", $"A new code can be sent in {seconds} s.", ("retryAfterSeconds", seconds)));
    }

    /// <summary>429 SmsDailyLimit once the holder was sent --sms-daily-limit codes this UTC day, else null.</summary>
    private IResult? DailyLimitReached(SqliteConnection c, SqliteTransaction tx, string psn, DateTimeOffset now)
    {
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (RegistrationStore.CodesSince(c, tx, psn, dayStart) < options.SmsDailyLimit) return null;
        int seconds = Math.Max(1, (int)Math.Ceiling((dayStart.AddDays(1) - now).TotalSeconds));
        return new RetryAfterResult(seconds, ApiError.Result(429, "SmsDailyLimit",
            $"{options.SmsDailyLimit} SMS codes were sent today, the most a day; a new code can be sent after midnight UTC.",
            ("retryAfterSeconds", seconds), ("dailyLimit", options.SmsDailyLimit)));
    }

    private SmsCodeRow SendCode(SqliteConnection c, SqliteTransaction tx, string psn, string phone, string purpose, DateTimeOffset now)
    {
        int digits = purpose == PurposeRegisterAndPay ? 4 : 6;
        // A new code never repeats the one it replaces (so an old code is always told apart from the new one).
        string? previous = RegistrationStore.LatestCode(c, tx, psn)?.Code;
        string code;
        do
        {
            code = RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
        }
        while (code == previous);
        DateTimeOffset expires = now + options.SmsLifetime;
        RegistrationStore.AddCode(c, tx, psn, code, purpose, now, expires);
        SmsOutbox.Send(c, tx, phone, code, purpose, now);
        return RegistrationStore.LatestCode(c, tx, psn)!;
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a.PadRight(8)), Encoding.ASCII.GetBytes(b.PadRight(8)));
}
