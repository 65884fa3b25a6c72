using Ekeng.Crm.Wire;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Security;

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
                throw new CrmException(CrmErrors.TermsNotAccepted, "The contract terms were not accepted; nothing was sent.", null);
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
                throw new CrmException(CrmErrors.InvalidSmsCode, "The SMS code must be digits only. Nothing was sent.", null);
            }

            if ((expectedLength.HasValue && code.Length != expectedLength.Value) || (!expectedLength.HasValue && code.Length != 4 && code.Length != 6))
            {
                throw new CrmException(CrmErrors.InvalidSmsCode, $"The SMS code has {(expectedLength.HasValue ? expectedLength.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "4 or 6")} digits, this one {code.Length}. Nothing was sent.", null);
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
                    return new CrmException(CrmErrors.InvalidPhoneNumber, $"The CRM refused the phone number: {reason}", error.ErrorId)
                    {
                        RecommendedAction = "Give an Armenian mobile number, e.g. '091 234567'.",
                    };
                case "DataNotConfirmed":
                    return new CrmException(CrmErrors.DataNotConfirmed, $"The CRM wants the holder's data confirmed: {reason}", error.ErrorId);
                case "TermsNotAccepted":
                    return new CrmException(CrmErrors.TermsNotAccepted, $"The contract terms were not accepted: {reason}", error.ErrorId);
                case "TermsVersionChanged":
                    return new CrmException(CrmErrors.TermsVersionChanged, $"The contract terms changed while registering (now {error.GetString("termsVersion")}): {reason}", error.ErrorId)
                    {
                        TermsVersion = error.GetString("termsVersion"),
                    };
                case "ResendTooSoon":
                    int seconds = (int)Math.Ceiling((error.RetryAfter ?? TimeSpan.Zero).TotalSeconds);
                    return new CrmException(CrmErrors.ResendTooSoon, $"A new SMS code can be sent in {seconds} s: {reason}", error.ErrorId)
                    {
                        RetryAfter = error.RetryAfter,
                        RecommendedAction = $"Wait {seconds} s, then use Send-EkengCrmSmsCode again.",
                    };
                case "NoPendingCode":
                    return new CrmException(CrmErrors.NoPendingCode, $"No SMS code is pending for this holder: {reason}", error.ErrorId);
                case "SmsCodeIncorrect":
                    int? left = error.GetInt32("attemptsLeft");
                    return new CrmException(CrmErrors.SmsCodeIncorrect, $"The SMS code is incorrect; {(left.HasValue ? left.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "some")} attempt(s) left.", error.ErrorId)
                    {
                        AttemptsLeft = left,
                    };
                case "SmsCodeExpired":
                    return new CrmException(CrmErrors.SmsCodeExpired, $"The SMS code has expired: {reason}", error.ErrorId);
                case "SmsCodeVoided":
                    return new CrmException(CrmErrors.SmsCodeVoided, $"The SMS code is void (three wrong codes, or a newer one was sent): {reason}", error.ErrorId);
                default:
                    return null;
            }
        }
    }
}
