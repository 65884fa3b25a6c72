using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// A racing attacker that wins its window every time: it swaps AtomicFile's temporary file for a symbolic link to
/// <c>victim</c>, right after the file is created or right before it is renamed into place.
/// </summary>
internal sealed class SymlinkSwapper(string victim, bool afterCreate) : IAtomicWriteObserver
{
    public int Swaps { get; private set; }

    public void TemporaryCreated(string path)
    {
        if (afterCreate)
        {
            Swap(path);
        }
    }

    public void BeforeRename(string path)
    {
        if (!afterCreate)
        {
            Swap(path);
        }
    }

    private void Swap(string path)
    {
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);
        Swaps++;
    }
}
