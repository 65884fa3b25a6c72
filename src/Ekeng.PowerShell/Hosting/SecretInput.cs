namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The one way a command gets a secret (a PIN, a PUK, an SMS code): the SecureString parameter, else a masked host
    /// prompt (twice for a new PIN); a session that cannot prompt ends the command with the secret's *Required id before
    /// anything is sent. PINs for a login are checked against the token (state, length, digits: <see cref="PinCheck"/>)
    /// before they are used. Prompted secrets are masked in every log of the invocation and disposed when the command
    /// ends or is stopped (<see cref="EkengCmdlet"/> calls <see cref="Dispose"/>).
    /// </summary>
    internal sealed class SecretInput : IDisposable
    {
        private readonly EkengCmdlet _cmdlet;
        private readonly List<SecureString> _prompted = new List<SecureString>();
        private readonly object _gate = new object();

        public SecretInput(EkengCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>
        /// The secret given, or prompted for (twice when <paramref name="askTwice"/>, the two compared); without a host
        /// that can prompt: <paramref name="error"/> (PinRequired, PukRequired, SmsCodeRequired ...).
        /// </summary>
        public SecureString Require(SecureString? given, EkengError error, string parameterName, string prompt, string target, string nothingDone, bool askTwice = false)
        {
            if (given != null)
            {
                return given;
            }

            if (!_cmdlet.HostIsInteractive())
            {
                throw new EkengException(error, $"{prompt} is needed and this session cannot prompt for it (non-interactive). {nothingDone}")
                {
                    RecommendedAction = $"Pass it as a SecureString with -{parameterName}, e.g. -{parameterName} (Read-Host -AsSecureString) in an interactive session.",
                    TargetObject = target,
                };
            }

            SecureString first = Prompt(prompt);
            if (askTwice)
            {
                // Both entries stay registered for masking and are disposed when the command ends.
                SecureString again = Prompt($"{prompt} (again, to confirm)");
                PinService.EnsureConfirmed(first, again, target);
            }

            return first;
        }

        /// <summary>
        /// The PIN to log in to <paramref name="token"/> with: its state checked before it is asked, then given or
        /// prompted, then its shape checked before it reaches the token (no try is spent on a PIN that cannot be right).
        /// </summary>
        public SecureString RequireLoginPin(Pkcs11Token? token, string tokenLabel, string pinName, SecureString? given, EkengError lockedError, string nothingDone)
        {
            PinCheck.RequireUsable(token, tokenLabel, lockedError, nothingDone);
            SecureString pin = Require(given, PinErrors.PinRequired, "Pin", $"PIN of '{tokenLabel}' ({pinName})", tokenLabel, nothingDone);
            PinCheck.RequireShape(token, tokenLabel, pin);
            return pin;
        }

        /// <summary>A secret typed through the host (masked); it may be empty.</summary>
        public SecureString Prompt(string text)
        {
            _cmdlet.Host.UI.Write(text + ": ");
            SecureString value = _cmdlet.Host.UI.ReadLineAsSecureString();
            lock (_gate)
            {
                _prompted.Add(value);
            }

            if (_cmdlet.CancelToken.IsCancellationRequested)
            {
                // Stopped while the host was reading (Ctrl+C): StopProcessing may have disposed the list before this
                // secret joined it, and EndProcessing will not run.
                Dispose();
                throw new PipelineStoppedException();
            }

            _cmdlet.RegisterSecret(value);
            return value;
        }

        /// <summary>Disposes every prompted secret (the parameters' own belong to the caller).</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                foreach (SecureString s in _prompted)
                {
                    s.Dispose();
                }

                _prompted.Clear();
            }
        }
    }
}
