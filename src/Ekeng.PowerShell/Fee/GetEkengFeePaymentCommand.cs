using System.Collections.Generic;
using System.Linq;
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
    /// <para type="synopsis">Lists the card holder's annual fee orders (one FeePayment per attempt, newest first, pending ones refreshed from the bank), and writes the PDF receipt of a paid one.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengFeePayment", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FeePayment), typeof(PortalGuide))]
    public sealed class GetEkengFeePaymentCommand : FeeCommandBase
    {
        /// <summary>One order by its number (F&lt;ՀԾՀ&gt;&lt;yyyyMMdd&gt;-&lt;attempt&gt;).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? OrderNumber { get; set; }

        /// <summary>Writes the PDF receipt of the newest paid order listed (or of -OrderNumber) here; an existing file is refused.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReceiptPath { get; set; }

        /// <summary>Replaces an existing -ReceiptPath file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The language of the guide's steps (hy or en) when no service is named; default: $PSUICulture.</summary>
        [Parameter]
        [ValidateSet("hy", "en", IgnoreCase = true)]
        public string? Language { get; set; }

        protected override string? LanguageParameter => Language;

        protected override void ProcessRecord()
        {
            try
            {
                if (NamedService(Registration) is null)
                {
                    // The real EKENG: payments and receipts are shown on crm.ekeng.am after the card login; nothing is read here.
                    RefuseServiceParameters(new[] { nameof(OrderNumber), nameof(ReceiptPath), nameof(Force) }, portalSwitch: false);
                    WriteGuide(PortalProcedure.PaymentStatus, open: false);
                    return;
                }

                string? receipt = ResolveReceiptPath(ReceiptPath, Force);
                EkengCertificate certificate = ResolveAuthCertificate(Card, Certificate, Registration);
                if (IsWhatIfRun)
                {
                    // -WhatIf: no PIN asked or used, no login, nothing sent.
                    System.Uri crmUri = NamedService(Registration)!;
                    ShouldProcess($"{Holder(certificate)} at {crmUri}", $"Log in with the card and list the fee orders{(OrderNumber is null ? string.Empty : " (order " + OrderNumber + ")")}{(receipt is null ? string.Empty : ", receipt to " + receipt)}");
                    return;
                }

                EkengSessionOptions options = Login(certificate, Registration, out _);
                using (EkengSession session = RunService(_ => EkengSession.Open(options, CreateLogger<EkengSession>())))
                {
                    var fees = new FeeClient(session, CreateLogger<FeeClient>());
                    IReadOnlyList<FeePayment> orders = OrderNumber is null
                        ? RunService(ct => fees.GetOrdersAsync(ct).GetAwaiter().GetResult())
                        : new[] { RunService(ct => fees.GetOrderAsync(OrderNumber, ct).GetAwaiter().GetResult()) };
                    if (receipt != null)
                    {
                        FeePayment? paid = orders.FirstOrDefault(o => o.Status == FeePaymentStatus.Paid);
                        if (paid is null)
                        {
                            WriteEkengError(new EkengException(FeeErrorIds.ReceiptNotPaid, EkengErrorKind.InvalidOperation, OrderNumber is null ? $"{Holder(certificate)} has no paid fee order: there is no receipt to write." : $"Order {OrderNumber} is {orders[0].Status}, not Paid: there is no receipt for it.")
                            {
                                TargetObject = OrderNumber ?? Holder(certificate),
                            });
                        }
                        else
                        {
                            WriteReceipt(paid, receipt, Force);
                        }
                    }

                    foreach (FeePayment order in orders)
                    {
                        WriteObject(order);
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
