namespace Ekeng.Firefox
{
    /// <summary>Whether Firefox (or Thunderbird) runs on a profile.</summary>
    public sealed class ProfileLockState
    {
        private ProfileLockState(bool isRunning, int? pid, string description)
        {
            IsRunning = isRunning;
            Pid = pid;
            Description = description;
        }

        public bool IsRunning { get; }

        public int? Pid { get; }

        public string Description { get; }

        public static ProfileLockState NotRunning(string description) => new ProfileLockState(false, null, description);

        public static ProfileLockState Running(int? pid, string description) => new ProfileLockState(true, pid, description);

        public override string ToString() => Description;
    }
}
