namespace Ekeng.Firefox
{
    /// <summary>One installation of Firefox or Thunderbird: its folder, the binary that tells its CPU, and its distribution folder.</summary>
    public sealed class MozillaInstall
    {
        public MozillaInstall(MozillaApplication application, string directory, string? machineBinary, string distributionDirectory, MozillaPackaging packaging)
        {
            Application = application;
            Directory = directory;
            MachineBinary = machineBinary;
            DistributionDirectory = distributionDirectory;
            Packaging = packaging;
        }

        public MozillaApplication Application { get; }

        public string Directory { get; }

        /// <summary>libxul.so, firefox.exe or XUL: the binary whose CPU a PKCS#11 library must match.</summary>
        public string? MachineBinary { get; }

        /// <summary>Where this installation reads policies.json.</summary>
        public string DistributionDirectory { get; }

        public MozillaPackaging Packaging { get; }

        public string PolicyFile => Path.Combine(DistributionDirectory, "policies.json");

        public override string ToString() => Directory;
    }
}
