namespace Ekeng.Tests.Firefox;

/// <summary>
/// Tests that change process-wide state (the umask) or race on files: they run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RootFileSafetyCollection
{
    public const string Name = "Root file safety (alone)";
}
