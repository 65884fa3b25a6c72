using Ekeng.Diagnostics;

namespace Ekeng.Cards
{
    /// <summary>Finding the ID card (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class CardErrors
    {
        public static readonly EkengError CardWaitTimeout = new EkengError("CardWaitTimeout", EkengErrorKind.OperationTimeout, "Insert the ID card, or wait longer with -Timeout.");

        public static readonly EkengError CardNotFound = new EkengError("CardNotFound", EkengErrorKind.ObjectNotFound, "Insert the ID card (Get-EkengCard lists what is seen).");

        public static readonly EkengError MultipleCards = new EkengError("MultipleCards", EkengErrorKind.InvalidArgument, "Pipe the card you mean: Get-EkengCard -Reader '<reader>' | <command>.");

        public static readonly EkengError CardRereadFailed = new EkengError("CardRereadFailed", EkengErrorKind.ReadError, "Do not repeat the command with the old PIN. Check the card's state with Get-EkengCard.");
    }
}
