using Ekeng.Diagnostics;

namespace Ekeng.Diagnostics
{
    /// <summary>Errors of the command itself, whatever its area (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class CommandErrors
    {
        public static readonly EkengError ConfirmationRequired = new EkengError("ConfirmationRequired", EkengErrorKind.InvalidOperation, "Confirm in the command itself with -Confirm:$false (or preview it first with -WhatIf).", CommandEnding.Parameters);
    }
}
