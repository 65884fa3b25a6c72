using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>The annual fee and its receipt (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class FeeErrors
    {
        public static readonly EkengError PeriodAlreadyPaid = new EkengError("PeriodAlreadyPaid", EkengErrorKind.InvalidOperation, "Nothing to do. To pay the next period now, run the command again with -NextPeriod.");

        public static readonly EkengError NotRegistered = new EkengError("NotRegistered", EkengErrorKind.InvalidOperation, "Register first (Register-EkengCrm, or Register-EkengCrm -PayOnline to register and pay in one step).");

        public static readonly EkengError GatewayUnavailable = new EkengError("GatewayUnavailable", EkengErrorKind.ResourceUnavailable, "Try again in a few minutes: the status is asked first, an unfinished order is resumed.");

        public static readonly EkengError OrderNotFound = new EkengError("OrderNotFound", EkengErrorKind.ObjectNotFound, "Check the order number (Get-EkengFeePayment lists the holder's orders).");

        public static readonly EkengError FeeServiceUnreachable = new EkengError("FeeServiceUnreachable", EkengErrorKind.ConnectionError, "Check the network and EKENG's service; running the command again is safe: it asks the order's status before anything else.");

        public static readonly EkengError PaymentDeclined = new EkengError("PaymentDeclined", EkengErrorKind.InvalidResult, "Pay with another card, or ask the bank why it declined (its code is in the message).");

        public static readonly EkengError PaymentExpired = new EkengError("PaymentExpired", EkengErrorKind.OperationTimeout, "Run the payment again: a new order is created for the same period.");

        public static readonly EkengError ReceiptNotPaid = new EkengError("ReceiptNotPaid", EkengErrorKind.InvalidOperation, "Ask for the receipt of a paid order (Get-EkengFeePayment shows each order's status).");

        public static readonly EkengError ReceiptExists = new EkengError("ReceiptExists", EkengErrorKind.WriteError, "Name another -ReceiptPath, or add -Force to replace the file.", CommandEnding.Parameters);

        public static readonly EkengError ReceiptWriteFailed = new EkengError("ReceiptWriteFailed", EkengErrorKind.WriteError, "Check the folder's permissions and free space, then write the receipt again with Save-EkengFeeReceipt.");

        public static readonly EkengError ReceiptFontNotFound = new EkengError("ReceiptFontNotFound", EkengErrorKind.NotInstalled, "Install DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core), or set EKENG_RECEIPT_FONT to a .ttf file that has Armenian letters.", CommandEnding.Environment);

        public static readonly EkengError PaymentOrderMismatch = new EkengError("PaymentOrderMismatch", EkengErrorKind.SecurityError, "Do not pay this order; run the command again, and report it to EKENG if it repeats.");

        public static readonly EkengError PaymentUrlRefused = new EkengError("PaymentUrlRefused", EkengErrorKind.SecurityError, "Do not open the address by hand; check the service address (-CrmUri or EKENG_CRM_URI) and report it to EKENG.");

        public static readonly EkengError PaymentNotConfirmed = new EkengError("PaymentNotConfirmed", EkengErrorKind.InvalidResult, "Check the order later with Get-EkengFeePayment; do not pay again before EKENG confirms or cancels it.");

        public static readonly EkengError FeeProtocolError = new EkengError("FeeProtocolError", EkengErrorKind.ProtocolError, "Check the service address (-CrmUri or EKENG_CRM_URI), and report it to EKENG if it repeats.");
    }
}
