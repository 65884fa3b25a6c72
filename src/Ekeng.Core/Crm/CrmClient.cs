using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Ekeng.Crm.Wire;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Crm
{
    /// <summary>
    /// The module's one client of the EKENG customer system's wire contract (docs/WIRE-CONTRACT.md, ours, modelled on
    /// the manual: the real crm.ekeng.am API is not public). Where the real service differs, only this class changes.
    /// GETs retry (bounded, with backoff); POSTs are sent once. The SMS code goes out as bytes, never as a string.
    /// </summary>
    public sealed class CrmClient
    {
        private readonly EkengSession _session;
        private readonly ILogger _logger;

        public CrmClient(EkengSession session, ILogger? logger = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _logger = logger ?? NullLogger.Instance;
        }

        public EkengSession Session => _session;

        /// <summary>The JSON bodies this client reads and sends (their contracts can be made ahead: <see cref="ClientCertificateHandlers.Prepare"/>).</summary>
        public static Type[] BodyTypes => new[] { typeof(RegistrationDto), typeof(TermsDto), typeof(RegistrationRequestDto) };

        public async Task<CrmAccount> GetMeAsync(CancellationToken cancellationToken)
        {
            MeDto me = (await _session.GetAsync<MeDto>("api/v1/me", Map, cancellationToken).ConfigureAwait(false)).Value;
            var registration = new CrmRegistration(me.Registration ?? new RegistrationDto { HolderName = me.HolderName, PublicServiceNumber = me.PublicServiceNumber }, _session.BaseUri);
            return new CrmAccount(me.HolderName, me.PublicServiceNumber, me.CertificateThumbprint, registration);
        }

        public async Task<CrmTerms> GetTermsAsync(CancellationToken cancellationToken)
        {
            TermsDto terms = (await _session.GetAsync<TermsDto>("api/v1/terms", Map, cancellationToken).ConfigureAwait(false)).Value;
            return new CrmTerms(terms.Version ?? string.Empty, terms.Text ?? string.Empty);
        }

        public async Task<CrmRegistration> GetRegistrationAsync(CancellationToken cancellationToken)
        {
            RegistrationDto dto = (await _session.GetAsync<RegistrationDto>("api/v1/registration", Map, cancellationToken).ConfigureAwait(false)).Value;
            return new CrmRegistration(dto, _session.BaseUri);
        }

        /// <summary>
        /// Registers the phone (checked and normalised first: an invalid one is refused before anything is sent) with the
        /// holder's data confirmed and the terms of <paramref name="termsVersion"/> accepted. An SMS code follows; an
        /// already active registration comes back unchanged.
        /// </summary>
        public async Task<CrmRegistration> RegisterAsync(string phoneNumber, string termsVersion, bool payOnline, CancellationToken cancellationToken)
        {
            string e164 = ArmenianPhoneNumber.Normalize(phoneNumber);
            if (string.IsNullOrEmpty(termsVersion))
            {
                throw new CrmException("TermsNotAccepted", EkengErrorKind.InvalidOperation, "The contract terms were not accepted; nothing was sent.", null);
            }

            var body = new RegistrationRequestDto { Phone = e164, DataConfirmed = true, TermsAccepted = true, TermsVersion = termsVersion, PayOnline = payOnline };
            EkengHttpResponse<RegistrationDto> reply = await _session.PostAsync<RegistrationDto>("api/v1/registration", body, Map, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Registration: HTTP {Status}, {State}.", (int)reply.StatusCode, reply.Value.Status);
            return new CrmRegistration(reply.Value, _session.BaseUri);
        }

        /// <summary>A new SMS code (the old one is void); rate-limited by the server (ResendTooSoon with the wait).</summary>
        public async Task<CrmRegistration> ResendAsync(CancellationToken cancellationToken)
        {
            EkengHttpResponse<RegistrationDto> reply = await _session.PostAsync<RegistrationDto>("api/v1/registration/resend", new object(), Map, cancellationToken).ConfigureAwait(false);
            return new CrmRegistration(reply.Value, _session.BaseUri);
        }

        /// <summary>Activates with the SMS code (digits only, <paramref name="expectedLength"/> of them when known: checked before sending).</summary>
        public async Task<CrmRegistration> ActivateAsync(SecureString code, int? expectedLength, CancellationToken cancellationToken)
        {
            ValidateCode(code, expectedLength);
            byte[] body = BuildCodeBody(code);
            GCHandle pin = GCHandle.Alloc(body, GCHandleType.Pinned);
            try
            {
                EkengHttpResponse<RegistrationDto> reply = await _session.PostUtf8Async<RegistrationDto>("api/v1/registration/activate", body, Map, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Activation: {State}.", reply.Value.Status);
                return new CrmRegistration(reply.Value, _session.BaseUri);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
                pin.Free();
            }
        }

        /// <summary>An SMS code is 4 or 6 digits; the wrong shape is refused before it is sent (and costs no attempt).</summary>
        public static void ValidateCode(SecureString code, int? expectedLength)
        {
            if (code is null || code.Length == 0 || !code.IsDigitsOnly())
            {
                throw new CrmException("InvalidSmsCode", EkengErrorKind.InvalidArgument, "The SMS code must be digits only. Nothing was sent.", null);
            }

            if ((expectedLength.HasValue && code.Length != expectedLength.Value) || (!expectedLength.HasValue && code.Length != 4 && code.Length != 6))
            {
                throw new CrmException("InvalidSmsCode", EkengErrorKind.InvalidArgument, $"The SMS code has {(expectedLength.HasValue ? expectedLength.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "4 or 6")} digits, this one {code.Length}. Nothing was sent.", null);
            }
        }

        /// <summary><c>{"code":"&lt;digits&gt;"}</c> as UTF-8 bytes built from the secret's characters (no string ever holds it).</summary>
        internal static byte[] BuildCodeBody(SecureString code)
        {
            byte[] prefix = { (byte)'{', (byte)'"', (byte)'c', (byte)'o', (byte)'d', (byte)'e', (byte)'"', (byte)':', (byte)'"' };
            return code.UseChars(chars =>
            {
                byte[] body = new byte[prefix.Length + chars.Length + 2];
                Buffer.BlockCopy(prefix, 0, body, 0, prefix.Length);
                for (int i = 0; i < chars.Length; i++)
                {
                    body[prefix.Length + i] = (byte)chars[i]; // digits only (checked): ASCII
                }

                body[body.Length - 2] = (byte)'"';
                body[body.Length - 1] = (byte)'}';
                return body;
            });
        }

        /// <summary>The contract's error ids as the module's stable ones.</summary>
        internal static EkengException? Map(EkengHttpError error)
        {
            string reason = error.Reason;
            switch (error.ErrorId)
            {
                case "InvalidPhone":
                    return new CrmException("InvalidPhoneNumber", EkengErrorKind.InvalidArgument, $"The CRM refused the phone number: {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Give an Armenian mobile number, e.g. '091 234567'.",
                    };
                case "DataNotConfirmed":
                    return new CrmException("DataNotConfirmed", EkengErrorKind.InvalidOperation, $"The CRM wants the holder's data confirmed: {reason}", error.ErrorId);
                case "TermsNotAccepted":
                    return new CrmException("TermsNotAccepted", EkengErrorKind.InvalidOperation, $"The contract terms were not accepted: {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Read the terms and accept them (-AcceptTerms, or answer the prompt).",
                    };
                case "TermsVersionChanged":
                    return new CrmException("TermsVersionChanged", EkengErrorKind.InvalidOperation, $"The contract terms changed while registering (now {error.GetString("termsVersion")}): {reason}", error.ErrorId)
                    {
                        TermsVersion = error.GetString("termsVersion"),
                        RecommendedAction = "Run the command again to read and accept the new terms.",
                    };
                case "ResendTooSoon":
                    int seconds = (int)Math.Ceiling((error.RetryAfter ?? TimeSpan.Zero).TotalSeconds);
                    return new CrmException("ResendTooSoon", EkengErrorKind.LimitsExceeded, $"A new SMS code can be sent in {seconds} s: {reason}", error.ErrorId)
                    {
                        RetryAfter = error.RetryAfter,
                        RecommendedAction = $"Wait {seconds} s, then use -ResendSms again.",
                    };
                case "NoPendingCode":
                    return new CrmException("NoPendingCode", EkengErrorKind.InvalidOperation, $"No SMS code is pending for this holder: {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Register first (Register-EkengCrm -PhoneNumber), or check the status with Get-EkengCrmRegistration.",
                    };
                case "SmsCodeIncorrect":
                    int? left = error.GetInt32("attemptsLeft");
                    return new CrmException("SmsCodeIncorrect", EkengErrorKind.AuthenticationError, $"The SMS code is incorrect; {(left.HasValue ? left.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "some")} attempt(s) left.", error.ErrorId)
                    {
                        AttemptsLeft = left,
                        RecommendedAction = "Type the code of the latest SMS; after the last attempt ask for a new one with -ResendSms.",
                    };
                case "SmsCodeExpired":
                    return new CrmException("SmsCodeExpired", EkengErrorKind.InvalidOperation, $"The SMS code has expired: {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Ask for a new code with -ResendSms.",
                    };
                case "SmsCodeVoided":
                    return new CrmException("SmsCodeVoided", EkengErrorKind.InvalidOperation, $"The SMS code is void (three wrong codes, or a newer one was sent): {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Ask for a new code with -ResendSms and type the newest one.",
                    };
                default:
                    return null;
            }
        }
    }
}
