using System.Collections.Concurrent;

namespace Ekeng.Diagnostics
{
    /// <summary>
    /// An <see cref="ILoggerProvider"/> whose loggers only enqueue. The consumer (a cmdlet on its pipeline
    /// thread) drains the queue, because PowerShell streams may only be written from that thread.
    /// Services log from any thread; nothing is written from there.
    /// </summary>
    public sealed class QueuedLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new ConcurrentQueue<LogEntry>();

        public QueuedLoggerProvider(LogLevel minimumLevel)
        {
            MinimumLevel = minimumLevel;
        }

        public LogLevel MinimumLevel { get; }

        /// <summary>Secrets whose values are masked in every message this provider hands out.</summary>
        public SecretRedactor Redactor { get; } = new SecretRedactor();

        public ILogger CreateLogger(string categoryName) => new QueuedLogger(this, categoryName);

        /// <summary>Takes the next queued entry, in the order they were logged.</summary>
        public bool TryDequeue(out LogEntry? entry)
        {
            bool taken = _entries.TryDequeue(out LogEntry? e);
            entry = e is null ? null : new LogEntry(e.Level, e.Category, Redactor.Redact(e.Message), e.Exception);
            return taken;
        }

        public void Dispose()
        {
        }

        private sealed class QueuedLogger : ILogger
        {
            private readonly QueuedLoggerProvider _provider;
            private readonly string _category;

            public QueuedLogger(QueuedLoggerProvider provider, string category)
            {
                _provider = provider;
                _category = category;
            }

            public IDisposable BeginScope<TState>(TState state) where TState : notnull => NullScope.Instance;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _provider.MinimumLevel;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                _provider._entries.Enqueue(new LogEntry(logLevel, _category, formatter(state, exception), exception));
            }
        }

        private sealed class NullScope : IDisposable
        {
            public static readonly NullScope Instance = new NullScope();

            public void Dispose()
            {
            }
        }
    }
}
