namespace Ekeng.Pkcs11
{
    /// <summary>What a failure message may say: the token, its state after the failure, the return code, what was done.</summary>
    internal sealed class PinFailure
    {
        public PinFailure(string label, PinStatus state, string returnValueName, string doneText)
        {
            Label = label;
            State = state;
            ReturnValueName = returnValueName;
            DoneText = doneText;
        }

        public string Label { get; }

        public PinStatus State { get; }

        public string ReturnValueName { get; }

        /// <summary>" Before this failure ... WAS set ..." or empty (see PinService.DoneText).</summary>
        public string DoneText { get; }
    }
}
