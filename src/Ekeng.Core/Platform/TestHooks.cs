using System;

namespace Ekeng.Platform
{
    /// <summary>Points where a test may act in the middle of an operation (a racing attacker); null in production.</summary>
    internal static class TestHooks
    {
        /// <summary>Called with the temporary file's path right after AtomicFile created it.</summary>
        public static Action<string>? AfterTempCreated { get; set; }
    }
}
