namespace Ekeng.Pkcs11
{
    /// <summary>The state of a PIN (or of the PUK) in one word, most serious first.</summary>
    public enum PinState
    {
        /// <summary>The PIN was never set: activate it with the PUK (Initialize-EkengPin).</summary>
        NotInitialized,

        /// <summary>Blocked after too many wrong tries.</summary>
        Locked,

        /// <summary>The next wrong try blocks it.</summary>
        FinalTry,

        /// <summary>At least one wrong try was counted.</summary>
        CountLow,

        /// <summary>The token asks for it to be changed.</summary>
        ToBeChanged,

        /// <summary>Set and usable.</summary>
        Ready,
    }
}
