namespace Ekeng.Diagnostics
{
    /// <summary>One log message waiting to be written by whoever drains the queue.</summary>
    public sealed class LogEntry
    {
        public LogEntry(LogLevel level, string category, string message, Exception? exception)
        {
            Level = level;
            Category = category;
            Message = message;
            Exception = exception;
        }

        public LogLevel Level { get; }
        public string Category { get; }
        public string Message { get; }
        public Exception? Exception { get; }
    }
}
