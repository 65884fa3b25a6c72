using System.Collections.Concurrent;
using System.Globalization;
using Ekeng.Payments;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Pays the annual e-signature fee online: logs in with the card, reads the fee and the period from EKENG, creates or resumes the order, opens the bank's payment page and waits until it is paid, declined or expired.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "EkengFeePayment", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FeePayment), typeof(PortalGuide))]
    public sealed class InvokeEkengFeePaymentCommand : CrmCmdletBase
    {
        private const int ProgressId = 10;

        /// <summary>Pays the period after the paid one, on purpose: a high-impact act, asked every time unless -Confirm:$false (without it a paid period is said and nothing is charged).</summary>
        [Parameter]
        public SwitchParameter NextPeriod { get; set; }

        /// <summary>Replaces an existing -ReceiptPath file (never means "pay again").</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Outputs the pending payment with its PaymentUrl at once: no browser, no wait.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>How long to wait for the payment, in seconds (default 900: 15 minutes).</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 900;

        /// <summary>Writes the PDF receipt here once paid (as Save-EkengFeeReceipt); an existing file is refused before anything is sent.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReceiptPath { get; set; }

        /// <summary>The language of the bank's payment page.</summary>
        [Parameter]
        [ValidateSet("hy", "ru", "en")]
        public string Language { get; set; } = "hy";

        protected override string? LanguageParameter => MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null;

        protected override void ProcessRecord()
        {
            try
            {
                if (NamedService() is null)
                {
                    // The real EKENG: the fee is paid on crm.ekeng.am and the bank's page; the module checks and guides.
                    RefuseServiceParameters(new[] { nameof(NextPeriod), nameof(NoWait), nameof(Timeout), nameof(ReceiptPath), nameof(Force) }, portalSwitch: false);
                    WriteGuide(PortalProcedure.FeePayment, open: true);
                    return;
                }

                // Checked before anything is sent: a receipt file that is there already is refused now, not after the payment.
                string? receipt = ReceiptPath is null ? null : FeeReceiptTarget.Resolve(this, ReceiptPath, null, Force, nameof(ReceiptPath));
                var request = new FeePaymentRequest { Language = Language, NextPeriod = NextPeriod, Timeout = TimeSpan.FromSeconds(Timeout) };
                EkengCertificate certificate = ResolveAuthCertificate();
                if (IsWhatIfRun)
                {
                    // -WhatIf: said, not done. No PIN is asked or used, no login, nothing sent (the amount is EKENG's, read after the login).
                    string what = $"Log in with the card and pay the annual fee as EKENG quotes it{(NextPeriod ? ", for the period after the paid one" : string.Empty)}{(receipt is null ? string.Empty : ", receipt to " + receipt)}";
                    ShouldProcessAtService(certificate, what);
                    return;
                }

                using (EkengSession session = OpenSession(certificate, feeService: true, out _))
                {
                    var flow = new FeePaymentFlow(new FeeClient(session, CreateLogger<FeeClient>()), request, CreateLogger<FeePaymentFlow>());
                    FeePaymentPlan plan = RunService(ct => flow.PlanAsync(Holder(certificate), ct).GetAwaiter().GetResult());
                    FeePayment? payment = plan.PaidUntil is null ? Pay(flow, plan) : null;
                    if (plan.PaidUntil is DateTime until)
                    {
                        WriteWarning($"The annual fee of {plan.Holder} is already paid until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; nothing was charged. -NextPeriod pays the next period (it asks first).");
                        FeeExpiryWarnings.Write(this, until);
                        payment = plan.PaidOrder;
                    }

                    if (payment is null)
                    {
                        return;
                    }

                    if (plan.PaidUntil is null && payment.Status == FeePaymentStatus.Paid)
                    {
                        // Paid just now: the new period's end, when it is near (a period started long ago).
                        FeeExpiryWarnings.Write(this, payment.PaidUntil);
                    }

                    if (payment.Status == FeePaymentStatus.Paid && receipt != null)
                    {
                        SaveReceipt(payment, receipt);
                    }

                    WriteObject(payment);
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, e.TargetObject ?? InputTarget);
            }
        }

        /// <summary>
        /// Asks (ShouldProcess; a further period asked every time), orders or resumes, opens the bank's page (interactive
        /// only) and waits. Null when the holder declined, or when EKENG answered that the period is paid after all.
        /// </summary>
        private FeePayment? Pay(FeePaymentFlow flow, FeePaymentPlan plan)
        {
            if (!ShouldProcessOrExplain(plan.Description, plan.Description + "?"))
            {
                return null;
            }

            if (NextPeriod)
            {
                string paid = plan.Quote.PaidUntil is DateTime until ? $"the fee is paid until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; " : string.Empty;
                if (!ShouldContinueOrExplain(plan.Description, $"{paid}{plan.Description}: pay this further period now?", "Paying a further period of the annual fee", "-NextPeriod"))
                {
                    return null;
                }
            }

            FeePayment? order = RunService(ct => flow.OrderAsync(plan, ct).GetAwaiter().GetResult());
            if (order is null || order.IsFinal)
            {
                return order is null ? null : Finish(flow, plan, order);
            }

            Uri url = flow.CheckPage(plan, order);
            if (NoWait)
            {
                WriteVerbose($"Order {order.OrderNumber} waits for the payment at {url}.");
                return order;
            }

            if (HostIsInteractive())
            {
                WriteVerbose($"Opening the payment page {url}.");
                string? failure = DefaultBrowser.TryOpen(url);
                Host.UI.WriteLine(failure is null
                    ? $"The bank's payment page is open in your browser; type the card data there (this command never asks for them): {url}"
                    : $"No browser could be started ({failure}): open {url} and pay there.");
            }
            else
            {
                WriteVerbose($"Non-interactive: no browser is opened; the payment is awaited at {url}.");
            }

            return Finish(flow, plan, Wait(flow, order));
        }

        /// <summary>The wait, with Write-Progress from the pipeline thread (the flow reports on a pool thread).</summary>
        private FeePayment Wait(FeePaymentFlow flow, FeePayment order)
        {
            var reports = new ConcurrentQueue<FeePaymentProgress>();
            string activity = $"Paying the annual fee: {FeeReceipt.FormatAmount(order.Amount, order.Currency)}, order {order.OrderNumber}";
            Task<FeePayment> task = Task.Run(() => flow.WaitAsync(order, reports.Enqueue, CancelToken));
            WaitHandle done = ((IAsyncResult)task).AsyncWaitHandle;
            while (!done.WaitOne(50))
            {
                DrainLog();
                WriteLatest(reports, activity);
            }

            DrainLog();
            WriteLatest(reports, activity);
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            return task.GetAwaiter().GetResult();
        }

        private void WriteLatest(ConcurrentQueue<FeePaymentProgress> reports, string activity)
        {
            FeePaymentProgress? last = null;
            while (reports.TryDequeue(out FeePaymentProgress? report))
            {
                last = report;
            }

            if (last != null)
            {
                WriteProgress(new ProgressRecord(ProgressId, activity, last.StatusText)
                {
                    PercentComplete = last.PercentComplete,
                    SecondsRemaining = last.SecondsRemaining,
                });
            }
        }

        private FeePayment Finish(FeePaymentFlow flow, FeePaymentPlan plan, FeePayment payment)
        {
            FeePayment final = flow.Finish(plan, payment);
            DrainLog();
            if (final.Status == FeePaymentStatus.Pending)
            {
                WriteWarning($"Order {final.OrderNumber} is not paid after {Timeout} s; it stays open at {final.PaymentUrl}. Running the command again resumes it (never a second charge).");
            }
            else if (final.Status != FeePaymentStatus.Paid)
            {
                WriteWarning($"Order {final.OrderNumber} is {final.Status}.");
            }

            return final;
        }

        /// <summary>The receipt of the paid order; a failure is a non-terminating error (the payment stands).</summary>
        private void SaveReceipt(FeePayment payment, string fullPath)
        {
            try
            {
                string written = FeeReceiptTarget.Write(payment, fullPath, Force);
                WriteVerbose($"Receipt of order {payment.OrderNumber} written to {written}.");
            }
            catch (EkengException e)
            {
                WriteError(ToErrorRecord(e, fullPath));
            }
        }
    }
}
