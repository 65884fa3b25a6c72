using System.Text.RegularExpressions;

namespace Ekeng.Pkcs11
{
    /// <summary>One PKCS#11 token as C_GetSlotInfo and C_GetTokenInfo describe it.</summary>
    public sealed class Pkcs11Token
    {
        private static readonly Regex LabelPattern = new Regex(@"^(?<base>.*?)\s*\((?<pin>[^()]*)\)\s*$", RegexOptions.CultureInvariant);

        internal Pkcs11Token(string modulePath, ulong slotId, string slotDescription, string label, string serialNumber, string model, string manufacturer, ulong flags, ulong minPinLength, ulong maxPinLength)
        {
            ModulePath = modulePath;
            SlotId = slotId;
            SlotDescription = (slotDescription ?? string.Empty).Trim();
            Label = (label ?? string.Empty).Trim();
            SerialNumber = (serialNumber ?? string.Empty).Trim();
            Model = (model ?? string.Empty).Trim();
            Manufacturer = (manufacturer ?? string.Empty).Trim();
            Flags = flags;

            Match m = LabelPattern.Match(Label);
            BaseLabel = m.Success ? m.Groups["base"].Value.Trim() : Label;
            PinLabel = m.Success ? m.Groups["pin"].Value.Trim() : null;
            Kind = KindOf(PinLabel);
            Pin = new PinStatus(Label, Kind, flags, minPinLength, maxPinLength);
        }

        /// <summary>The PKCS#11 library the token was read through.</summary>
        public string ModulePath { get; }

        public ulong SlotId { get; }

        /// <summary>The slot description; for smart card modules usually the PC/SC reader name.</summary>
        public string SlotDescription { get; }

        /// <summary>The token label, e.g. <c>ARMID (AuthPIN)</c>.</summary>
        public string Label { get; }

        /// <summary>The label before the PIN part: <c>ARMID</c>.</summary>
        public string BaseLabel { get; }

        /// <summary>The PIN part of the label: <c>AuthPIN</c> (null when the label has none).</summary>
        public string? PinLabel { get; }

        public PinKind? Kind { get; }

        public string SerialNumber { get; }

        public string Model { get; }

        public string Manufacturer { get; }

        public ulong Flags { get; }

        public PinStatus Pin { get; }

        /// <summary>ARMID tokens take PINs of digits only (the card's PIN pad rule).</summary>
        public bool IsArmid => BaseLabel.Equals("ARMID", StringComparison.OrdinalIgnoreCase);

        /// <summary>True when the new PIN must be digits only.</summary>
        public bool RequiresDigits => IsArmid;

        /// <summary>
        /// The same token in the same slot as <paramref name="other"/>: slot id, label, serial, model and manufacturer.
        /// Two cards of one batch may share label, model and maker (and a middleware may repeat serials): the slot
        /// tells them apart.
        /// </summary>
        public bool IsSameToken(Pkcs11Token other) =>
            other != null
            && SlotId == other.SlotId
            && string.Equals(Label, other.Label, StringComparison.Ordinal)
            && string.Equals(SerialNumber, other.SerialNumber, StringComparison.Ordinal)
            && string.Equals(Model, other.Model, StringComparison.Ordinal)
            && string.Equals(Manufacturer, other.Manufacturer, StringComparison.Ordinal);

        public override string ToString() => Label;

        internal static PinKind? KindOf(string? pinLabel)
        {
            if (pinLabel is null)
            {
                return null;
            }

            if (pinLabel.IndexOf("auth", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return PinKind.Auth;
            }

            if (pinLabel.IndexOf("sign", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return PinKind.Sign;
            }

            return null;
        }
    }
}
