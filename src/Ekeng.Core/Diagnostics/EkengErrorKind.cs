namespace Ekeng.Diagnostics
{
    /// <summary>
    /// The kind of failure, named like PowerShell's ErrorCategory so that the cmdlet layer maps it 1:1
    /// without this assembly knowing PowerShell.
    /// </summary>
    public enum EkengErrorKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ObjectNotFound,
        ResourceUnavailable,
        ResourceBusy,
        NotInstalled,
        NotImplemented,
        OperationTimeout,
        OperationStopped,
        AuthenticationError,
        PermissionDenied,
        SecurityError,
        DeviceError,
        ConnectionError,
        ProtocolError,
        LimitsExceeded,
        WriteError,
        ReadError,
        InvalidResult,
    }
}
