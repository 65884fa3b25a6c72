using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>The result of a profile search: the profiles found and the profiles.ini files that could not be read.</summary>
    public sealed class ProfileSearchResult
    {
        public List<MozillaProfile> Profiles { get; } = new List<MozillaProfile>();
        public List<EkengException> Errors { get; } = new List<EkengException>();
        public List<string> ProfilesIniFiles { get; } = new List<string>();
    }
}
