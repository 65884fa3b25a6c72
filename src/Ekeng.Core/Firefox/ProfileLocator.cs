using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>Finds the profiles of the current user under every root where Firefox or Thunderbird keeps them (docs/ARCHITECTURE.md#firefox-facts).</summary>
    public sealed class ProfileLocator
    {
        private readonly MozillaEnvironment _environment;
        private readonly ILogger _logger;

        public ProfileLocator(MozillaEnvironment environment, ILogger? logger = null)
        {
            _environment = environment;
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>Every folder that may hold the application's profiles.ini on this OS, in search order.</summary>
        public IReadOnlyList<ProfileRoot> GetRoots(MozillaApplication application)
        {
            string home = _environment.HomeDirectory;
            var roots = new List<ProfileRoot>();
            void Add(MozillaPackaging packaging, params string[] parts) => roots.Add(new ProfileRoot(application, Path.Combine(parts), packaging));

            switch (_environment.Platform)
            {
                case OsPlatform.Windows:
                    string appData = _environment.GetVariable("APPDATA") ?? Path.Combine(home, "AppData", "Roaming");
                    if (application == MozillaApplication.Firefox)
                    {
                        Add(MozillaPackaging.Native, appData, "Mozilla", "Firefox");
                    }
                    else
                    {
                        Add(MozillaPackaging.Native, appData, "Thunderbird");
                    }

                    break;
                case OsPlatform.MacOS:
                    Add(MozillaPackaging.Native, home, "Library", "Application Support", application == MozillaApplication.Firefox ? "Firefox" : "Thunderbird");
                    break;
                default:
                    string xdg = _environment.GetVariable("XDG_CONFIG_HOME") ?? Path.Combine(home, ".config");
                    if (application == MozillaApplication.Firefox)
                    {
                        Add(MozillaPackaging.Native, xdg, "mozilla", "firefox");
                        Add(MozillaPackaging.Native, home, ".mozilla", "firefox");
                        Add(MozillaPackaging.Snap, home, "snap", "firefox", "common", ".mozilla", "firefox");
                        Add(MozillaPackaging.Snap, home, "snap", "firefox", "common", ".config", "mozilla", "firefox");
                        Add(MozillaPackaging.Flatpak, home, ".var", "app", "org.mozilla.firefox", ".mozilla", "firefox");
                        Add(MozillaPackaging.Flatpak, home, ".var", "app", "org.mozilla.firefox", "config", "mozilla", "firefox");
                    }
                    else
                    {
                        Add(MozillaPackaging.Native, xdg, "thunderbird");
                        Add(MozillaPackaging.Native, home, ".thunderbird");
                        Add(MozillaPackaging.Snap, home, "snap", "thunderbird", "common", ".thunderbird");
                        Add(MozillaPackaging.Flatpak, home, ".var", "app", "org.mozilla.Thunderbird", ".thunderbird");
                        Add(MozillaPackaging.Flatpak, home, ".var", "app", "org.mozilla.Thunderbird", "config", "thunderbird");
                    }

                    break;
            }

            return roots;
        }

        /// <summary>
        /// Reads the profiles.ini of every root of the applications. A corrupt profiles.ini becomes an error in the
        /// result and the other roots are still read; a profile listed twice (the same folder) is returned once.
        /// </summary>
        public ProfileSearchResult FindProfiles(IEnumerable<MozillaApplication> applications)
        {
            var result = new ProfileSearchResult();
            var seen = new HashSet<string>(_environment.PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
            foreach (MozillaApplication application in applications.Distinct())
            {
                foreach (ProfileRoot root in GetRoots(application))
                {
                    string ini = Path.Combine(root.Path, "profiles.ini");
                    if (!_environment.FileExists(ini))
                    {
                        _logger.LogDebug("No profiles.ini in {Root}.", root.Path);
                        continue;
                    }

                    result.ProfilesIniFiles.Add(ini);
                    IReadOnlyList<ProfilesIniEntry> entries;
                    try
                    {
                        entries = ProfilesIni.Read(ini);
                    }
                    catch (EkengException e)
                    {
                        result.Errors.Add(e);
                        continue;
                    }

                    int count = 0;
                    foreach (ProfilesIniEntry entry in entries)
                    {
                        if (entry.Path is null)
                        {
                            _logger.LogWarning("{Ini}: section [{Section}] (line {Line}) has no Path; it was ignored.", ini, entry.Section, entry.Line);
                            continue;
                        }

                        string path = ResolveProfilePath(root.Path, entry);
                        if (!seen.Add(path))
                        {
                            continue;
                        }

                        result.Profiles.Add(new MozillaProfile(application, entry.Name ?? entry.Section, path, ini, root.Packaging, entry.IsDefault));
                        count++;
                    }

                    _logger.LogInformation("{Ini} lists {Count} profile(s).", ini, count);
                }
            }

            return result;
        }

        /// <summary>The absolute folder of a profiles.ini entry: relative paths use '/' on every OS.</summary>
        public static string ResolveProfilePath(string rootPath, ProfilesIniEntry entry)
        {
            string path = entry.Path ?? string.Empty;
            if (entry.IsRelative)
            {
                path = Path.Combine(rootPath, path.Replace('/', Path.DirectorySeparatorChar));
            }

            return Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        }

        /// <summary>A profile given by folder; its name is the folder name (or the profiles.ini name when a root lists it).</summary>
        public MozillaProfile FromPath(string path, MozillaApplication application)
        {
            string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            MozillaPackaging packaging = MozillaPackaging.Native;
            if (full.IndexOf(Path.DirectorySeparatorChar + "snap" + Path.DirectorySeparatorChar, StringComparison.Ordinal) >= 0)
            {
                packaging = MozillaPackaging.Snap;
            }
            else if (full.IndexOf(Path.Combine(".var", "app"), StringComparison.Ordinal) >= 0)
            {
                packaging = MozillaPackaging.Flatpak;
            }

            return new MozillaProfile(application, Path.GetFileName(full), full, null, packaging, false);
        }
    }
}
