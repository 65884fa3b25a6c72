using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Pkcs11;
using Ekeng.Platform;
using Ekeng.Portal;
using Ekeng.Security;

namespace Ekeng.Setup
{
    /// <summary>
    /// Test-EkengSetup's two PIN-only checks, EkengRegistration (registration Active) and EkengFee (the paid period):
    /// made only with <c>-Pin</c>, only against a service named to speak the module's contract that passed the contract
    /// probe (the real EKENG publishes no API), with ONE card login (one C_Login, never retried) and one GET of the
    /// registration, within the options' service timeout. The PIN is never logged. A wrong PIN is these checks' Fail
    /// (PinIncorrect), not an error: Test-EkengSetup writes one object per check and ends only for a parameter failure
    /// (a PIN that is not digits or not of the token's length: <see cref="PinCheck.RequireShape"/>, before the token sees it).
    /// </summary>
    public static class EkengRecordsCheck
    {
        public const string RegistrationName = "EkengRegistration";
        public const string FeeName = "EkengFee";

        /// <summary>Where the holder sees both on the real EKENG (which publishes no API).</summary>
        public const string PortalRemedy = "The holder signs in at https://crm.ekeng.am with the card: the registration and the paid period are shown there.";

        /// <summary>
        /// The two checks. <paramref name="service"/> is the EkengService check of this run (Pass: the service named
        /// speaks the contract); <paramref name="auth"/> the card's authentication certificate, or null. Throws only for a
        /// PIN outside the token's own bounds (<see cref="PinCheck.RequireShape"/>).
        /// </summary>
        public static PortalCheck[] Run(SetupOptions options, PortalCheck service, EkengCertificate? auth, ILogger logger)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (service is null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            string? why = null;
            string? remedy = null;
            Uri? named = service.Status == PortalCheckStatus.Pass ? TryNamed(options.CrmUri) : null;
            if (service.Status == PortalCheckStatus.NotApplicable)
            {
                why = $"no service that speaks the module's contract is named (-CrmUri, {EkengSessionOptions.CrmUriVariable}): the real EKENG publishes no API, so the registration and the paid period are not read here";
                remedy = PortalRemedy;
            }
            else if (named is null)
            {
                why = "the service named did not pass the contract check (see EkengService): no card login was made and no PIN used";
                remedy = PortalRemedy;
            }
            else if (options.Pin is null)
            {
                why = "needs -Pin: the registration and the paid period are read with the card login (the AuthPIN), and no check prompts";
                remedy = "Test-EkengSetup -Pin (Read-Host -AsSecureString 'AuthPIN') ... (or Get-EkengCrmRegistration)";
            }
            else if (auth is null)
            {
                why = "no authentication certificate was read from the card: no card login was made";
            }
            else if (HostOs.IsWindows && options.IsLocalSystem)
            {
                why = $"the card login uses the user's certificate store, and this is {BrowserChecks.SystemReason}";
                remedy = BrowserChecks.RunAsUserSetting;
            }
            else if (auth.Token?.Pin is PinStatus state && (state.Locked || !state.Initialized))
            {
                why = $"the AuthPIN is {(state.Locked ? "blocked" : "not activated")} (see AuthPIN): no card login was made";
            }

            if (why != null)
            {
                return new[]
                {
                    new PortalCheck(RegistrationName, PortalCheckStatus.NotApplicable, why, remedy),
                    new PortalCheck(FeeName, PortalCheckStatus.NotApplicable, why, remedy),
                };
            }

            // Checked against the token's own bounds before the token sees it: a parameter error, not a check.
            SecureString pin = options.Pin!;
            PinCheck.RequireShape(auth!.Token, auth.TokenLabel ?? "ARMID (AuthPIN)", pin);
            return Read(options, named!, auth, pin, logger);
        }

        private static Uri? TryNamed(Uri? crmUri)
        {
            try
            {
                return EkengSessionOptions.ResolveNamedCrmUri(crmUri);
            }
            catch (EkengException)
            {
                return null;
            }
        }

        /// <summary>One card login, one GET of the registration; every failure is the two checks' Fail.</summary>
        private static PortalCheck[] Read(SetupOptions options, Uri uri, EkengCertificate auth, SecureString pin, ILogger logger)
        {
            CrmRegistration registration;
            try
            {
                var login = new CardLogin(uri, options.TrustedCaFile, logger)
                {
                    Configure = o =>
                    {
                        o.HandlerFactory = options.HandlerFactory;
                        o.Timeout = options.ServiceTimeout;
                        o.GetAttempts = 1;
                    },
                };
                logger.LogInformation("Reading the holder's registration at {Uri} with one card login.", uri);
                using (var stop = new CancellationTokenSource(options.ServiceTimeout))
                using (EkengSession session = login.Open(auth, pin))
                {
                    registration = new CrmClient(session, logger).GetRegistrationAsync(stop.Token).GetAwaiter().GetResult();
                }
            }
            catch (EkengException e) when (PinErrors.PinIncorrect.Is(e))
            {
                string detail = $"PinIncorrect: the card refused the AuthPIN (tried once, never retried): {e.Message}";
                return Both(PortalCheckStatus.Fail, detail, "Check the AuthPIN's tries left with Get-EkengCard before another try; a blocked PIN is unblocked with the PUK (Unblock-EkengPin).");
            }
            catch (EkengException e)
            {
                return Both(PortalCheckStatus.Fail, $"{e.ErrorId}: {e.Message}", e.RecommendedAction);
            }
            catch (OperationCanceledException)
            {
                return Both(PortalCheckStatus.Fail, $"{uri} did not answer within {options.ServiceTimeout.TotalSeconds:0} s", "Check the network to the service, then run again.");
            }

            return new[]
            {
                Registration(registration.Status, registration.UsableFrom, options.Now),
                Fee(registration.Status, registration.PaidUntil, options.Now, options.WarningDays),
            };
        }

        private static PortalCheck[] Both(PortalCheckStatus status, string detail, string? remedy) => new[]
        {
            new PortalCheck(RegistrationName, status, detail, remedy),
            new PortalCheck(FeeName, status, detail, remedy),
        };

        /// <summary>The registration check from the status EKENG gives: Active passes; anything else fails with the next step.</summary>
        public static PortalCheck Registration(CrmRegistrationStatus status, DateTime? usableFrom, DateTime now)
        {
            switch (status)
            {
                case CrmRegistrationStatus.Active:
                    string usable = usableFrom is DateTime from && from.ToUniversalTime() > now.ToUniversalTime()
                        ? $"; other systems accept the certificate from {from.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
                        : string.Empty;
                    return new PortalCheck(RegistrationName, PortalCheckStatus.Pass, "registered (Active)" + usable);
                case CrmRegistrationStatus.PendingCode:
                    return new PortalCheck(RegistrationName, PortalCheckStatus.Fail, "the registration waits for the SMS code sent to the holder's phone",
                        "Finish it with the SMS code: Confirm-EkengCrmRegistration -SmsCode (or start again with Register-EkengCrm -PhoneNumber).");
                case CrmRegistrationStatus.PendingPayment:
                    return new PortalCheck(RegistrationName, PortalCheckStatus.Fail, "registered to pay online: active once the annual fee is paid",
                        "Invoke-EkengFeePayment");
                default:
                    return new PortalCheck(RegistrationName, PortalCheckStatus.Fail, "the holder is not registered in the EKENG customer system",
                        "Register-EkengCrm -PhoneNumber '<the holder''s mobile>' -AcceptTerms (or at https://crm.ekeng.am)");
            }
        }

        /// <summary>
        /// The paid period: Pass with the days left; Warning when it ends within <paramref name="warningDays"/> days; Fail
        /// when it has ended (or was never paid); NotApplicable before the holder is registered.
        /// </summary>
        public static PortalCheck Fee(CrmRegistrationStatus status, DateTime? paidUntil, DateTime now, int warningDays)
        {
            if (status == CrmRegistrationStatus.NotRegistered || status == CrmRegistrationStatus.PendingCode)
            {
                return new PortalCheck(FeeName, PortalCheckStatus.NotApplicable, "the holder is not registered yet (see EkengRegistration)");
            }

            if (paidUntil is null)
            {
                return new PortalCheck(FeeName, PortalCheckStatus.Fail, "the annual fee is not paid: no paid period", "Invoke-EkengFeePayment");
            }

            DateTime until = paidUntil.Value;
            string? warning = ExpiryWarning.ForPaidUntil(until, now, warningDays);
            if (warning is null)
            {
                int left = (int)Math.Floor((until.ToUniversalTime() - now.ToUniversalTime()).TotalDays);
                return new PortalCheck(FeeName, PortalCheckStatus.Pass, $"paid until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({left} days left)");
            }

            bool lapsed = until.ToUniversalTime() < now.ToUniversalTime();
            return lapsed
                ? new PortalCheck(FeeName, PortalCheckStatus.Fail, warning, "Invoke-EkengFeePayment")
                : new PortalCheck(FeeName, PortalCheckStatus.Warning, warning, "Invoke-EkengFeePayment -NextPeriod");
        }
    }
}
