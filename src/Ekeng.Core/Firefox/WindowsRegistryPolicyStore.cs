using System.ComponentModel;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// The real registry (Windows only), through advapi32 directly: the module targets netstandard2.0 and loads in
    /// Windows PowerShell 5.1 and PowerShell 7, where the managed registry API lives in different assemblies.
    /// Always the 64-bit view, where Firefox (of either bitness) reads HKLM\Software\Policies.
    /// </summary>
    public sealed class WindowsRegistryPolicyStore : IRegistryPolicyStore
    {
        private static readonly IntPtr HKEY_LOCAL_MACHINE = new IntPtr(unchecked((int)0x80000002));
        private static readonly IntPtr HKEY_CURRENT_USER = new IntPtr(unchecked((int)0x80000001));
        private const int KEY_READ = 0x20019;
        private const int KEY_WRITE = 0x20006;
        private const int KEY_WOW64_64KEY = 0x0100;
        private const int REG_SZ = 1;
        private const int REG_EXPAND_SZ = 2;
        private const int ERROR_SUCCESS = 0;
        private const int ERROR_FILE_NOT_FOUND = 2;
        private const int ERROR_NO_MORE_ITEMS = 259;
        private const int ERROR_MORE_DATA = 234;

        private readonly IntPtr _hive;

        public WindowsRegistryPolicyStore(RegistryPolicyHive hive)
        {
            if (!HostOs.IsWindows)
            {
                throw new PlatformNotSupportedException("The registry exists on Windows only.");
            }

            _hive = hive == RegistryPolicyHive.LocalMachine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
            HiveName = hive == RegistryPolicyHive.LocalMachine ? "HKLM" : "HKCU";
        }

        public string HiveName { get; }

        public IReadOnlyList<KeyValuePair<string, string>>? ReadValues(string subKey)
        {
            int status = RegOpenKeyExW(_hive, subKey, 0, KEY_READ | KEY_WOW64_64KEY, out IntPtr key);
            if (status == ERROR_FILE_NOT_FOUND)
            {
                return null;
            }

            Check(status, "open", subKey);
            try
            {
                var values = new List<KeyValuePair<string, string>>();
                for (int index = 0; ; index++)
                {
                    var name = new StringBuilder(16384);
                    int nameLength = name.Capacity;
                    int dataLength = 0;
                    status = RegEnumValueW(key, index, name, ref nameLength, IntPtr.Zero, out int type, null, ref dataLength);
                    if (status == ERROR_NO_MORE_ITEMS)
                    {
                        break;
                    }

                    if (status != ERROR_SUCCESS && status != ERROR_MORE_DATA)
                    {
                        Check(status, "read", subKey);
                    }

                    if (type != REG_SZ && type != REG_EXPAND_SZ)
                    {
                        continue;
                    }

                    var data = new byte[dataLength + 2];
                    nameLength = name.Capacity;
                    int size = data.Length;
                    Check(RegEnumValueW(key, index, name, ref nameLength, IntPtr.Zero, out type, data, ref size), "read", subKey);
                    string text = Encoding.Unicode.GetString(data, 0, size).TrimEnd('\0');
                    if (type == REG_EXPAND_SZ)
                    {
                        text = Environment.ExpandEnvironmentVariables(text);
                    }

                    values.Add(new KeyValuePair<string, string>(name.ToString(0, nameLength), text));
                }

                return values;
            }
            finally
            {
                RegCloseKey(key);
            }
        }

        public void SetString(string subKey, string name, string value)
        {
            Check(RegCreateKeyExW(_hive, subKey, 0, null, 0, KEY_WRITE | KEY_WOW64_64KEY, IntPtr.Zero, out IntPtr key, out _), "create", subKey);
            try
            {
                byte[] data = Encoding.Unicode.GetBytes(value + "\0");
                Check(RegSetValueExW(key, name, 0, REG_SZ, data, data.Length), "write", subKey);
            }
            finally
            {
                RegCloseKey(key);
            }
        }

        public void DeleteValue(string subKey, string name)
        {
            int status = RegOpenKeyExW(_hive, subKey, 0, KEY_WRITE | KEY_WOW64_64KEY, out IntPtr key);
            if (status == ERROR_FILE_NOT_FOUND)
            {
                return;
            }

            Check(status, "open", subKey);
            try
            {
                status = RegDeleteValueW(key, name);
                if (status != ERROR_FILE_NOT_FOUND)
                {
                    Check(status, "delete a value of", subKey);
                }
            }
            finally
            {
                RegCloseKey(key);
            }
        }

        private void Check(int status, string action, string subKey)
        {
            if (status != ERROR_SUCCESS)
            {
                throw new Win32Exception(status, $"Cannot {action} {HiveName}\\{subKey}: {new Win32Exception(status).Message}");
            }
        }

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegOpenKeyExW(IntPtr hKey, string subKey, int options, int samDesired, out IntPtr result);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegCreateKeyExW(IntPtr hKey, string subKey, int reserved, string? lpClass, int options, int samDesired, IntPtr securityAttributes, out IntPtr result, out int disposition);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegEnumValueW(IntPtr hKey, int index, StringBuilder valueName, ref int valueNameLength, IntPtr reserved, out int type, byte[]? data, ref int dataLength);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegSetValueExW(IntPtr hKey, string valueName, int reserved, int type, byte[] data, int dataLength);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegDeleteValueW(IntPtr hKey, string valueName);

        [DllImport("advapi32.dll")]
        private static extern int RegCloseKey(IntPtr hKey);
    }
}
