using Ekeng.Firefox;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// No Firefox runs; the first look at a profile's 'lock' symlink (the Firefox-running check, made between the read of
/// pkcs11.txt and its write) calls <see cref="_onCheck"/>: the moment a racing user would act.
/// </summary>
internal sealed class CallbackProbe : IProcessProbe
{
    private readonly Action _onCheck;

    public CallbackProbe(Action onCheck) => _onCheck = onCheck;

    public bool Called { get; private set; }

    public bool IsAlive(int pid) => false;

    public int? GetLockingPid(string path) => 0;

    public string? ReadLink(string path)
    {
        if (!Called)
        {
            Called = true;
            _onCheck();
        }

        return null;
    }

    public bool IsLocalAddress(string address) => false;

    public bool IsHeldExclusively(string path) => false;
}
