using System.Diagnostics;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Chromium
{
    /// <summary>
    /// Linux: the NSS database Chromium, Chrome and Edge share per user, <c>~/.pki/nssdb</c> (sql: format, the same
    /// pkcs11.txt as a Firefox profile). A database that does not exist yet is made by NSS's own <c>certutil -N
    /// --empty-password</c> in a private temporary folder, and its two files are copied into the user's folder
    /// through the folder's handle (the user's ownership kept), so no SQLite schema is re-implemented here.
    /// </summary>
    public static class ChromiumNssDb
    {
        /// <summary>The NSS files that make a database; pkcs11.txt is written by the module target.</summary>
        internal static readonly string[] DatabaseFiles = { "cert9.db", "key4.db" };

        /// <summary>How long certutil may take to create an empty database.</summary>
        internal static readonly TimeSpan CertutilTimeout = TimeSpan.FromSeconds(20);

        /// <summary>The database folder of the user whose home is <paramref name="home"/>.</summary>
        public static string PathFor(string home) => System.IO.Path.Combine(home, ".pki", "nssdb");

        /// <summary>The database as a profile-like target (the folder is resolved once, root-safe, like a Firefox profile's).</summary>
        public static MozillaProfile Profile(string folder) =>
            new MozillaProfile(MozillaApplication.Chromium, "nssdb", System.IO.Path.GetFullPath(folder), null, MozillaPackaging.Native, isDefault: true);

        /// <summary>True when <paramref name="folder"/> holds an NSS sql: database (cert9.db and key4.db).</summary>
        public static bool Exists(string folder) => DatabaseFiles.All(f => File.Exists(System.IO.Path.Combine(folder, f)));

        /// <summary>
        /// Creates the database in <paramref name="folder"/> when it is missing (the folder too: 0700, owned by its
        /// parent folder's owner). Existing files are never replaced. NssDatabaseUnavailable when certutil is missing.
        /// </summary>
        public static void EnsureCreated(string folder, ILogger logger, string? certutil = null)
        {
            string full = System.IO.Path.GetFullPath(folder);
            if (Exists(full))
            {
                return;
            }

            string? tool = certutil ?? FindCertutil();
            if (tool is null)
            {
                throw new EkengException(BrowserErrors.NssDatabaseUnavailable, $"There is no NSS database in '{full}' yet, and NSS's certutil (to create one) is not installed.")
                {
                    TargetObject = full,
                };
            }

            string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ekeng-nssdb-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(temp);
            try
            {
                RunCertutil(tool, temp);
                using (SafeFolder target = OpenOrCreate(full))
                {
                    foreach (string name in DatabaseFiles)
                    {
                        if (File.Exists(target.Combine(name)))
                        {
                            continue;
                        }

                        byte[] content = File.ReadAllBytes(System.IO.Path.Combine(temp, name));
                        target.Write(name, content, AtomicFile.PrivateMode);
                    }
                }

                logger.LogInformation("{Folder}: created an empty NSS database (certutil -N --empty-password).", full);
            }
            finally
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        /// <summary>certutil on PATH (then /usr/bin), or null.</summary>
        public static string? FindCertutil()
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            foreach (string dir in path.Split(System.IO.Path.PathSeparator).Concat(new[] { "/usr/bin", "/bin" }))
            {
                if (string.IsNullOrEmpty(dir))
                {
                    continue;
                }

                string candidate = System.IO.Path.Combine(dir, HostOs.IsWindows ? "certutil-nss.exe" : "certutil");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static void RunCertutil(string tool, string folder)
        {
            var start = new ProcessStartInfo(tool)
            {
                Arguments = $"-N --empty-password -d \"sql:{folder}\"",
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            using (Process process = Process.Start(start) ?? throw new InvalidOperationException("certutil did not start."))
            {
                process.StandardInput.Close();
                System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
                System.Threading.Tasks.Task<string> output = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit((int)CertutilTimeout.TotalMilliseconds))
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    throw new EkengException(BrowserErrors.NssDatabaseUnavailable, EkengErrorKind.OperationTimeout, $"certutil did not create the NSS database within {CertutilTimeout.TotalSeconds:0} s.");
                }

                if (process.ExitCode != 0 || !Exists(folder))
                {
                    string said = (error.Result + " " + output.Result).Trim();
                    throw new EkengException(BrowserErrors.NssDatabaseUnavailable, EkengErrorKind.WriteError, $"certutil could not create an NSS database (exit {process.ExitCode}){(said.Length > 0 ? ": " + said.Split('\n')[0].Trim() : ".")}");
                }
            }
        }

        /// <summary>Opens <paramref name="folder"/> (…/.pki/nssdb), creating .pki and nssdb below the existing home when needed.</summary>
        private static SafeFolder OpenOrCreate(string folder)
        {
            string? parent = System.IO.Path.GetDirectoryName(folder);
            string? home = parent is null ? null : System.IO.Path.GetDirectoryName(parent);
            if (parent is null || home is null)
            {
                return SafeFolder.Open(folder);
            }

            using (SafeFolder homeFolder = SafeFolder.Open(home))
            using (SafeFolder pki = homeFolder.OpenOrCreateSubfolder(System.IO.Path.GetFileName(parent), 0x1C0))
            {
                return pki.OpenOrCreateSubfolder(System.IO.Path.GetFileName(folder), 0x1C0);
            }
        }
    }
}
