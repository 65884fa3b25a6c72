using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Payments;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The one payment flow of the module (Invoke-EkengFeePayment, Register-EkengCrm -PayOnline): the fee and period
    /// from EKENG, an already paid period said and left alone, an unfinished order of the period resumed (asked before
    /// any new order), ShouldProcess, the bank's page opened (interactive only), the wait with Write-Progress, the
    /// outcome (Paid; PaymentDeclined / PaymentExpired as errors, never retried; still pending at the timeout: a warning)
    /// and the PDF receipt. The module never asks for, sees, stores or logs a card number or a CVC2.
    /// </summary>
    public abstract class FeeCommandBase : CrmCmdletBase
    {
        private const int ProgressId = 10;

        /// <summary>"ARMEN SARGSYAN (ՀԾՀ 1234567890)".</summary>
        /// <summary>The fee commands' service: a silent one is FeeServiceUnreachable (running the command again is safe).</summary>
        protected override EkengException ServiceUnreachable(EkengException transport) =>
            FeeClient.Unreachable($"EKENG's fee service did not answer GET {ServiceContract.DocumentPath}: {transport.Message}", transport);

        protected static string Holder(EkengCertificate certificate) => $"{certificate.HolderName} (ՀԾՀ {certificate.PublicServiceNumber})";

        /// <summary>
        /// The receipt's full path, refused (ReceiptExists) when a file is there already and <paramref name="overwrite"/>
        /// (-Force) is not given, or when it is a folder: checked before anything is sent.
        /// </summary>
        protected string? ResolveReceiptPath(string? path, bool overwrite = false)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return null;
            }

            string full = GetUnresolvedProviderPathFromPSPath(path);
            if ((File.Exists(full) && !overwrite) || Directory.Exists(full))
            {
                throw new EkengException(FeeErrorIds.ReceiptExists, EkengErrorKind.WriteError, $"The receipt file '{full}' exists; it is left as it is. Nothing was sent.")
                {
                    RecommendedAction = "Name another -ReceiptPath, or add -Force to replace the file.",
                    TargetObject = full,
                };
            }

            return full;
        }

        /// <summary>
        /// Pays the current period (or the next one with <see cref="FeePaymentRequest.NextPeriod"/>) for the holder logged in
        /// through <paramref name="fees"/>. Returns the payment to output: Paid, the paid order of an already paid period,
        /// or Pending (-NoWait, timeout); null when ShouldProcess declined. Declined and expired orders throw their error.
        /// </summary>
        protected FeePayment? PayFee(FeeClient fees, EkengCertificate certificate, FeePaymentRequest request)
        {
            string holder = Holder(certificate);
            FeeQuote quote = RunService(ct => fees.GetFeeAsync(ct).GetAwaiter().GetResult());
            request.Quote = quote;
            string amount = FeeReceipt.FormatAmount(quote.Amount, quote.Currency);
            if (!request.NextPeriod && quote.PaidUntil is DateTime until && until.Date > DateTime.UtcNow.Date)
            {
                return AlreadyPaid(fees, holder, until, request);
            }

            // Asked before any new order: an unfinished order of this period (a run that crashed or lost its connection)
            // is resumed, never duplicated. EKENG refreshes pending orders from the gateway first.
            IReadOnlyList<FeePayment> orders = RunService(ct => fees.GetOrdersAsync(ct).GetAwaiter().GetResult());
            FeePayment? open = FeeClient.FindUnfinished(orders.Where(o => o.PeriodStart.Date == quote.NextPeriodStart.Date).ToList(), request.NextPeriod);
            string period = $"{FeeReceipt.FormatDate(quote.NextPeriodStart)} – {FeeReceipt.FormatDate(quote.NextPeriodEnd)}";
            string what = open is null ? $"Pay {amount} for {period} as {holder}" : $"Pay {amount} for {period} as {holder} (resuming order {open.OrderNumber})";
            if (!ShouldProcess(what, what + "?", "The annual e-signature fee"))
            {
                return null;
            }

            if (request.NextPeriod && !ConfirmNextPeriod(what, quote))
            {
                return null;
            }

            FeePayment order;
            if (open != null)
            {
                open.Resumed = true;
                order = open;
            }
            else
            {
                try
                {
                    order = RunService(ct => fees.CreateOrResumeOrderAsync(request.Language, request.NextPeriod, ct).GetAwaiter().GetResult());
                }
                catch (EkengException e) when (e.ErrorId == FeeErrorIds.PeriodAlreadyPaid && e.Data["PaidUntil"] is DateTime paidUntil)
                {
                    return AlreadyPaid(fees, holder, paidUntil, request);
                }
            }

            WriteVerbose(order.Resumed ? $"Resuming order {order.OrderNumber} ({order.Status})." : $"Order {order.OrderNumber} created: {amount} for {period}.");
            request.OrderNumber = order.OrderNumber;
            if (order.IsFinal)
            {
                return Finish(order, request);
            }

            // The order must be the one the holder confirmed, and its page the bank's: or nothing is opened nor handed on.
            FeeOrderCheck.RequireMatchesQuote(order, quote);
            Uri url = FeeOrderCheck.RequireSafePaymentUrl(order, fees.Session.BaseUri, fees.Session.GatewayHosts);
            if (request.NoWait)
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

            FeePayment final = Wait(fees, order, request);
            return Finish(final, request);
        }

        private FeePayment? AlreadyPaid(FeeClient fees, string holder, DateTime until, FeePaymentRequest request)
        {
            WriteWarning($"The annual fee of {holder} is already paid until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; nothing was charged. -NextPeriod pays the next period (it asks first).");
            IReadOnlyList<FeePayment> orders = RunService(ct => fees.GetOrdersAsync(ct).GetAwaiter().GetResult());
            FeePayment? paid = orders.Where(o => o.Status == FeePaymentStatus.Paid).OrderByDescending(o => o.PeriodEnd).FirstOrDefault();
            if (paid != null && request.ReceiptPath != null)
            {
                WriteReceipt(paid, request.ReceiptPath, request.OverwriteReceipt);
            }

            return paid;
        }

        private FeePayment Wait(FeeClient fees, FeePayment order, FeePaymentRequest request)
        {
            var waiter = new FeePaymentWaiter(fees, CreateLogger<FeePaymentWaiter>()) { PollInterval = request.PollInterval };
            var reports = new ConcurrentQueue<FeePaymentProgress>();
            string activity = $"Paying the annual fee: {FeeReceipt.FormatAmount(order.Amount, order.Currency)}, order {order.OrderNumber}";

            // The waiter reports on a pool thread; the reports are written here, on the pipeline thread.
            Task<FeePayment> task = Task.Run(() => waiter.WaitAsync(order, request.Timeout, reports.Enqueue, CancelToken));
            WaitHandle done = ((IAsyncResult)task).AsyncWaitHandle;
            while (!done.WaitOne(50))
            {
                DrainLog();
                DrainProgress(reports, activity);
            }

            DrainLog();
            DrainProgress(reports, activity);
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            return task.GetAwaiter().GetResult();
        }

        private void DrainProgress(ConcurrentQueue<FeePaymentProgress> reports, string activity)
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

        private FeePayment Finish(FeePayment payment, FeePaymentRequest request)
        {
            EkengException? error = FeeOutcome.ToError(payment);
            if (error != null)
            {
                throw error;
            }

            switch (payment.Status)
            {
                case FeePaymentStatus.Paid:
                    // "Paid" is believed only with the gateway's orderStatus 2, the quoted amount and currency, this order.
                    FeeOrderCheck.RequireConfirmedPaid(payment, request.OrderNumber, request.Quote?.Amount, request.Quote?.Currency, request.Quote?.CurrencyCode);
                    WriteVerbose($"Order {payment.OrderNumber} is paid ({payment.MaskedPan}, approval code {payment.ApprovalCode}); the service period runs until {payment.PaidUntil:yyyy-MM-dd}.");
                    if (request.ReceiptPath != null)
                    {
                        WriteReceipt(payment, request.ReceiptPath, request.OverwriteReceipt);
                    }

                    break;
                case FeePaymentStatus.Pending:
                    WriteWarning($"Order {payment.OrderNumber} is not paid after {request.Timeout}; it stays open at {payment.PaymentUrl}. Running the command again resumes it (never a second charge).");
                    break;
                default:
                    WriteWarning($"Order {payment.OrderNumber} is {payment.Status}.");
                    break;
            }

            return payment;
        }

        /// <summary>
        /// Writes the PDF receipt of an order the gateway shows deposited (orderStatus 2); a failure is a non-terminating
        /// error (the payment stands). <paramref name="overwrite"/> (-Force) replaces an existing file.
        /// </summary>
        protected void WriteReceipt(FeePayment payment, string fullPath, bool overwrite = false)
        {
            if (!ShouldProcess(fullPath, $"Write the receipt of order {payment.OrderNumber}"))
            {
                return;
            }

            try
            {
                FeeOrderCheck.RequireConfirmedPaid(payment, null, null, null);
                string written = FeeReceipt.FromPayment(payment).WritePdf(fullPath, force: overwrite);
                WriteVerbose($"Receipt of order {payment.OrderNumber} written to {written}.");
            }
            catch (EkengException e)
            {
                WriteEkengError(e, fullPath);
            }
        }

        /// <summary>
        /// Paying a further period (-NextPeriod) is a high-impact act: asked every time, never implied by -Force. Only an
        /// explicit -Confirm:$false skips the question; a session that cannot ask ends with ConfirmationRequired.
        /// </summary>
        private bool ConfirmNextPeriod(string what, FeeQuote quote)
        {
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm) && confirm is SwitchParameter s && !s.IsPresent)
            {
                return true;
            }

            string paid = quote.PaidUntil is DateTime until ? $"the fee is paid until {until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; " : string.Empty;
            string question = $"{paid}{what}: pay this further period now?";
            if (!HostIsInteractive())
            {
                ThrowEkengError(new EkengException("ConfirmationRequired", EkengErrorKind.InvalidOperation, $"Paying a further period needs a confirmation ({question}), and this session cannot ask for one (non-interactive). Nothing was ordered.")
                {
                    RecommendedAction = $"Confirm in the command itself: {MyInvocation.MyCommand.Name} -NextPeriod ... -Confirm:$false (or preview it first with -WhatIf).",
                    TargetObject = what,
                });
            }

            return ShouldContinue(question, "Paying a further period of the annual fee");
        }

        /// <summary>-Timeout: at least a second (a bare number would be ticks).</summary>
        protected static TimeSpan CheckTimeout(TimeSpan timeout)
        {
            if (timeout < TimeSpan.FromSeconds(1))
            {
                throw new EkengException("InvalidTimeout", EkengErrorKind.InvalidArgument, $"-Timeout must be at least one second, not {timeout}: e.g. -Timeout 00:05:00 or (New-TimeSpan -Minutes 5).");
            }

            return timeout;
        }
    }
}
