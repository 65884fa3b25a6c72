using System;

namespace Ekeng.Platform
{
    /// <summary>Points where a test may act in the middle of an operation (a racing attacker); null in production.</summary>
    internal static class TestHooks
    {
        /// <summary>Called with the temporary file's path right after AtomicFile created it.</summary>
        public static Action<string>? AfterTempCreated { get; set; }

        /// <summary>Called with the temporary file's path after AtomicFile checked it and right before it renames (or links) it into place.</summary>
        public static Action<string>? BeforeRename { get; set; }

        /// <summary>
        /// True: CardInventory.Refresh finds the card gone, as when it is pulled out right after a PIN change (tests of
        /// CardRereadFailed; a Boolean, so that a Pester test sets it by reflection).
        /// </summary>
        public static bool CardGoneOnRefresh { get; set; }
    }
}
