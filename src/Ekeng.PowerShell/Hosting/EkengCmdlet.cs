using Microsoft.Extensions.Logging;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The base of every Ekeng cmdlet. It gives services an <see cref="ILogger"/> whose messages reach the
    /// Verbose, Debug and Warning streams (queued from any thread, written on the pipeline thread only), turns
    /// <see cref="EkengException"/> into ErrorRecords with stable ids, masks the values of SecureString parameters
    /// in every log message, and cancels long waits on Ctrl+C.
    /// </summary>
    public abstract class EkengCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private QueuedLoggerProvider? _logProvider;
        private SecretInput? _secrets;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected internal CancellationToken CancelToken => _stopping.Token;

        /// <summary>The log bridge of this invocation.</summary>
        protected QueuedLoggerProvider LogProvider => _logProvider ??= new QueuedLoggerProvider(LogLevel.Trace);

        /// <summary>
        /// The secrets of this invocation (PINs, PUKs, SMS codes): given or prompted, checked, masked in every log,
        /// disposed when the command ends or is stopped.
        /// </summary>
        internal SecretInput Secrets => _secrets ??= new SecretInput(this);

        /// <summary>A logger for a service; its category is the service's type name.</summary>
        protected internal ILogger CreateLogger<T>() => LogProvider.CreateLogger(typeof(T).FullName ?? typeof(T).Name);

        /// <summary>
        /// True (the default) for the commands of the manual's card, PIN, CRM and fee steps: the first one a process runs
        /// starts, in the background, .NET's one read of the system trust store that the first TLS handshake of a later
        /// step (the CRM, the fee) would otherwise wait for (<see cref="Ekeng.Http.TrustStoreWarmUp"/>, Linux only). The browser
        /// commands, which never talk to a service, leave it.
        /// </summary>
        protected virtual bool PrefetchesTrustStore => true;

        protected override void BeginProcessing()
        {
            if (PrefetchesTrustStore)
            {
                _ = Ekeng.Http.TrustStoreWarmUp.Start(LogProvider.CreateLogger(typeof(Ekeng.Http.TrustStoreWarmUp).FullName ?? nameof(Ekeng.Http.TrustStoreWarmUp)));
            }

            DebugWithoutInquire();
            foreach (KeyValuePair<string, object> bound in MyInvocation.BoundParameters)
            {
                RegisterSecret(bound.Value as SecureString);
            }
        }

        /// <summary>
        /// -Debug on a compiled cmdlet makes PowerShell INQUIRE on every verbose and warning message (and, in Windows
        /// PowerShell 5.1, on debug messages and on ShouldProcess too), so a command stops at a Confirm prompt and fails
        /// in a non-interactive session. -Debug here means "also show the Debug messages": the command runtime's debug
        /// preference is set to Continue and its -Debug flag cleared, so verbose, warning and confirm follow the
        /// session's own preferences. A $DebugPreference of Inquire set by the user is left alone.
        /// </summary>
        private void DebugWithoutInquire()
        {
            if (!(MyInvocation.BoundParameters.TryGetValue("Debug", out object? debug) && debug is SwitchParameter on && on.IsPresent))
            {
                return;
            }

            // MshCommandRuntime.DebugPreference and .Debug are internal in Windows PowerShell 5.1 and PowerShell 7 alike;
            // the preference, once set, wins over the flag in both.
            object? runtime = CommandRuntime;
            const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
            System.Reflection.PropertyInfo? preference = runtime?.GetType().GetProperty("DebugPreference", Any);
            System.Reflection.PropertyInfo? flag = runtime?.GetType().GetProperty("Debug", Any);
            if (preference?.PropertyType == typeof(ActionPreference) && preference.CanWrite && flag?.PropertyType == typeof(bool) && flag.CanWrite)
            {
                preference.SetValue(runtime, ActionPreference.Continue);
                flag.SetValue(runtime, false);

                // Debug output includes the verbose messages, as -Debug did before, now without the prompt.
                System.Reflection.PropertyInfo? verbose = runtime!.GetType().GetProperty("Verbose", Any);
                if (!MyInvocation.BoundParameters.ContainsKey("Verbose") && verbose?.PropertyType == typeof(bool) && verbose.CanWrite)
                {
                    verbose.SetValue(runtime, true);
                }
            }
        }

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            _secrets?.Dispose();
        }

        protected override void EndProcessing()
        {
            DrainLog();
            _secrets?.Dispose();
        }

        /// <summary>
        /// True when this invocation only shows what it would do (-WhatIf, or $WhatIfPreference): then no PIN is asked,
        /// no card login happens and nothing is sent.
        /// </summary>
        protected bool IsWhatIfRun =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) ? w is SwitchParameter s && s.IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>Masks this secret's value in every log message of this invocation.</summary>
        protected internal void RegisterSecret(SecureString? secret) => LogProvider.Redactor.Add(secret);

        /// <summary>Writes the queued log messages to the streams. Call it on the pipeline thread only.</summary>
        protected internal void DrainLog()
        {
            if (_logProvider is null)
            {
                return;
            }

            while (_logProvider.TryDequeue(out LogEntry? entry) && entry != null)
            {
                switch (entry.Level)
                {
                    case LogLevel.Trace:
                    case LogLevel.Debug:
                        WriteDebug(entry.Message);
                        break;
                    case LogLevel.Information:
                        WriteVerbose(entry.Message);
                        break;
                    default:
                        WriteWarning(entry.Message);
                        break;
                }
            }
        }

        /// <summary>
        /// Runs a service call on a worker thread while the pipeline thread writes its log messages as they come,
        /// so that -Verbose shows progress of a long wait and Ctrl+C cancels it through <see cref="CancelToken"/>.
        /// </summary>
        protected internal T RunService<T>(Func<CancellationToken, T> work)
        {
            Task<T> task = Task.Run(() => work(CancelToken));
            WaitHandle done = ((IAsyncResult)task).AsyncWaitHandle;
            while (!done.WaitOne(50))
            {
                DrainLog();
            }

            DrainLog();

            // Rethrows the service's own exception (not an AggregateException), so callers catch EkengException.
            return task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// ShouldProcess, except that a confirmation this session cannot ask (non-interactive, ConfirmImpact at or above
        /// $ConfirmPreference) ends the command with a clear error naming -Confirm:$false, instead of PowerShell's
        /// "Read and Prompt functionality is not available". Nothing has been changed when it fails.
        /// </summary>
        protected internal bool ShouldProcessOrExplain(string target, string action)
        {
            try
            {
                return ShouldProcess(target, action);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException)
            {
                ThrowEkengError(new EkengException(CommandErrors.ConfirmationRequired, $"'{action}' on '{target}' needs a confirmation, and this session cannot ask for one (non-interactive). Nothing was changed.", e)
                {
                    RecommendedAction = $"Confirm in the command itself: {MyInvocation.MyCommand.Name} ... -Confirm:$false (or preview it first with -WhatIf).",
                    TargetObject = target,
                });
                throw; // not reached: ThrowEkengError always throws
            }
        }

        /// <summary>
        /// The one confirmation of a high-impact act that ShouldProcess alone does not cover (paying a further period,
        /// a secret sent at its final try): an explicit -Confirm:$false answers yes; a session that cannot ask ends the
        /// command with ConfirmationRequired (nothing done); else the host asks.
        /// </summary>
        /// <param name="switches">The switches that made the act (e.g. "-NextPeriod"), for the recommended action.</param>
        protected internal bool ShouldContinueOrExplain(string target, string question, string caption, string? switches = null)
        {
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm) && confirm is SwitchParameter s && !s.IsPresent)
            {
                return true;
            }

            if (!HostIsInteractive())
            {
                ThrowEkengError(new EkengException(CommandErrors.ConfirmationRequired, $"{caption}: '{question}' needs a confirmation, and this session cannot ask for one (non-interactive). Nothing was done.")
                {
                    RecommendedAction = $"Confirm in the command itself: {MyInvocation.MyCommand.Name}{(switches is null ? string.Empty : " " + switches)} ... -Confirm:$false (or preview it first with -WhatIf).",
                    TargetObject = target,
                });
            }

            return ShouldContinue(question, caption);
        }

        /// <summary>
        /// Writes a service failure: non-terminating when it concerns this input (the next one is processed), a
        /// terminating error when the environment or the command's parameters fail for every input
        /// (<see cref="CommandEndingErrors"/>).
        /// </summary>
        protected void WriteEkengError(EkengException error, object? target = null)
        {
            if (CommandEndingErrors.EndsCommand(error.ErrorId))
            {
                ThrowEkengError(error, target);
            }

            DrainLog();
            WriteError(ToErrorRecord(error, target));
        }

        /// <summary>Stops the command with a terminating error for a service failure.</summary>
        protected internal void ThrowEkengError(EkengException error, object? target = null)
        {
            DrainLog();
            ThrowTerminatingError(ToErrorRecord(error, target));
        }

        /// <summary>The ErrorRecord of a service failure: its stable id, the matching category, no stack trace.</summary>
        internal static ErrorRecord ToErrorRecord(EkengException error, object? target = null)
        {
            var record = new ErrorRecord(error, error.ErrorId, ToCategory(error.Kind), target ?? error.TargetObject);
            if (error.RecommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction };
            }

            return record;
        }

        internal static ErrorCategory ToCategory(EkengErrorKind kind)
        {
            return Enum.TryParse(kind.ToString(), out ErrorCategory category) ? category : ErrorCategory.NotSpecified;
        }

        /// <summary>
        /// False when nobody can answer a prompt: -NonInteractive, a host without a UI, redirected input, or on Windows a
        /// process outside an interactive session or running as LocalSystem (Intune, SCCM, Task Scheduler). Commands then
        /// fail at once with a clear error instead of waiting. The rule: <see cref="InteractiveHostRule"/>.
        /// </summary>
        protected internal bool HostIsInteractive()
        {
            bool isWindows = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
            return InteractiveHostRule.IsInteractive(
                Host?.Name,
                Host?.UI != null,
                Environment.GetCommandLineArgs(),
                Console.IsInputRedirected,
                isWindows,
                Environment.UserInteractive,
                isWindows ? InteractiveHostRule.CurrentUserSid() : null);
        }
    }
}
