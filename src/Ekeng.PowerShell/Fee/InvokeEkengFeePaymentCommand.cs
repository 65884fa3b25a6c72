using System;
using System.Management.Automation;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Payments;
using Ekeng.Portal;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Pays the annual e-signature fee online: logs in with the card, reads the fee and the period from EKENG, creates or resumes the order, opens the bank's payment page and waits until it is paid, declined or expired.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "EkengFeePayment", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FeePayment), typeof(PortalGuide))]
    public sealed class InvokeEkengFeePaymentCommand : FeeCommandBase
    {
        /// <summary>Pays the period after the paid one, on purpose: a high-impact act, asked every time unless -Confirm:$false (without it a paid period is said and nothing is charged).</summary>
        [Parameter]
        public SwitchParameter NextPeriod { get; set; }

        /// <summary>Replaces an existing -ReceiptPath file (never means "pay again").</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Outputs the pending payment with its PaymentUrl at once: no browser, no wait.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>How long to wait for the payment (default 15 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>Writes the PDF receipt here once paid; an existing file is refused before anything is sent.</summary>
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
                if (NamedService(Registration) is null)
                {
                    // The real EKENG: the fee is paid on crm.ekeng.am and the bank's page; the module checks and guides.
                    RefuseServiceParameters(new[] { nameof(NextPeriod), nameof(NoWait), nameof(Timeout), nameof(ReceiptPath), nameof(Force) }, portalSwitch: false);
                    WriteGuide(PortalProcedure.FeePayment, open: true);
                    return;
                }

                var request = new FeePaymentRequest
                {
                    Language = Language,
                    NextPeriod = NextPeriod,
                    NoWait = NoWait,
                    Timeout = CheckTimeout(Timeout),
                    ReceiptPath = ResolveReceiptPath(ReceiptPath, Force),
                    OverwriteReceipt = Force,
                };
                EkengCertificate certificate = ResolveAuthCertificate(Card, Certificate, Registration);
                if (IsWhatIfRun)
                {
                    // -WhatIf: said, not done. No PIN is asked or used, no login, nothing sent (the amount is EKENG's, read after the login).
                    Uri crmUri = NamedService(Registration)!;
                    string what = $"Log in with the card and pay the annual fee as EKENG quotes it{(NextPeriod ? ", for the period after the paid one" : string.Empty)}{(request.ReceiptPath is null ? string.Empty : ", receipt to " + request.ReceiptPath)}";
                    ShouldProcess($"{Holder(certificate)} at {crmUri}", what);
                    return;
                }

                EkengSessionOptions options = Login(certificate, Registration, out _);
                using (EkengSession session = RunService(_ => EkengSession.Open(options, CreateLogger<EkengSession>())))
                {
                    var fees = new FeeClient(session, CreateLogger<FeeClient>());
                    FeePayment? payment = PayFee(fees, certificate, request);
                    if (payment != null)
                    {
                        WriteObject(payment);
                    }
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, e.TargetObject ?? (object?)Registration ?? (object?)Certificate ?? Card);
            }
        }
    }
}
