using Ekeng.Payments;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the card holder's annual fee orders (one FeePayment per attempt, newest first, pending ones refreshed from the bank). It only reads: Save-EkengFeeReceipt writes a paid order's receipt.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengFeePayment", DefaultParameterSetName = ParameterSets.Card)]
    [OutputType(typeof(FeePayment), typeof(PortalGuide))]
    public sealed class GetEkengFeePaymentCommand : GuidedCrmCmdletBase
    {
        /// <summary>One order by its number (F&lt;ՀԾՀ&gt;&lt;yyyyMMdd&gt;-&lt;attempt&gt;).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? OrderNumber { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (NamedService() is null)
                {
                    // The real EKENG: payments and receipts are shown on crm.ekeng.am after the card login; nothing is read here.
                    RefuseServiceParameters(new[] { nameof(OrderNumber) }, portalSwitch: false);
                    WriteGuide(PortalProcedure.PaymentStatus, open: false);
                    return;
                }

                EkengCertificate certificate = ResolveAuthCertificate();
                using (EkengSession session = OpenSession(certificate, feeService: true, out _))
                {
                    var fees = new FeeClient(session, CreateLogger<FeeClient>());
                    IReadOnlyList<FeePayment> orders = OrderNumber is null
                        ? RunService(ct => fees.GetOrdersAsync(ct).GetAwaiter().GetResult())
                        : new[] { RunService(ct => fees.GetOrderAsync(OrderNumber, ct).GetAwaiter().GetResult()) };

                    foreach (FeePayment order in orders)
                    {
                        WriteObject(order);
                    }

                    FeeExpiryWarnings.Write(this, fees, CancelToken);
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, e.TargetObject ?? InputTarget);
            }
        }
    }
}
