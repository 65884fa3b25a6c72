namespace Ekeng.Sandbox.Hosting;

/// <summary>A command line the sandbox refuses (exit code 2).</summary>
public sealed class CommandLineException(string message) : Exception(message);
