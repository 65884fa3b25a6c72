using Microsoft.Extensions.Logging;

namespace Ekeng.Testing;

/// <summary>A logger that keeps every formatted line (from any thread), for tests that read what a service logged.</summary>
public sealed class LineLogger : ILogger
{
    private readonly List<string> _lines = [];

    /// <summary>A copy of the lines so far.</summary>
    public List<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add(formatter(state, exception));
        }
    }
}
