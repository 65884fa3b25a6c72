using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using Ekeng.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Opens PKCS#11 libraries through Pkcs11Interop. One library is initialised once per process however many
    /// users it has at a time (a second C_Initialize would be refused, and its C_Finalize would pull the library
    /// from under the first user); the last user to let go finalises it, so that the next one reads the tokens
    /// afresh (the re-enumeration the manual's "remove and insert the card" stands for).
    /// </summary>
    internal sealed class InteropModuleLoader : IPkcs11ModuleLoader
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, SharedLibrary> Libraries = new Dictionary<string, SharedLibrary>(StringComparer.Ordinal);
        private static readonly Pkcs11InteropFactories Factories = new Pkcs11InteropFactories();
        private readonly ILogger _logger;

        public InteropModuleLoader(ILogger? logger = null)
        {
            _logger = logger ?? NullLogger.Instance;
        }

        public IPkcs11Module Open(string path)
        {
            lock (Gate)
            {
                if (!Libraries.TryGetValue(path, out SharedLibrary? shared))
                {
                    NativeLoaderFix.Ensure();
                    ModuleArchitecture.EnsureLoadable(path);
                    IPkcs11Library library;
                    try
                    {
                        library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, path, AppType.MultiThreaded);
                    }
                    catch (Pkcs11Exception e)
                    {
                        throw new EkengException("Pkcs11ModuleInitFailed", EkengErrorKind.DeviceError, $"The PKCS#11 module '{path}' was loaded but refused to start: {e.Method} returned {e.RV}.", e)
                        {
                            RecommendedAction = "Check the middleware's installation and configuration (for SoftHSM: SOFTHSM2_CONF and its token directory).",
                            TargetObject = path,
                        };
                    }
                    catch (Exception e) when (e is UnmanagedException || e is DllNotFoundException || e is BadImageFormatException || e is EntryPointNotFoundException)
                    {
                        throw new EkengException("Pkcs11ModuleLoadFailed", EkengErrorKind.NotInstalled, $"The PKCS#11 module '{path}' could not be loaded ({e.Message.TrimEnd('.')}).", e)
                        {
                            RecommendedAction = "Check that the file is a PKCS#11 library for this system and that its dependencies are installed.",
                            TargetObject = path,
                        };
                    }

                    shared = new SharedLibrary(library);
                    Libraries[path] = shared;
                    _logger.LogDebug("PKCS#11 module '{Path}' initialised.", path);
                }

                shared.Users++;
                return new InteropPkcs11Module(path, shared.Library, () => Release(path), _logger);
            }
        }

        private void Release(string path)
        {
            lock (Gate)
            {
                if (!Libraries.TryGetValue(path, out SharedLibrary? shared))
                {
                    return;
                }

                if (--shared.Users == 0)
                {
                    Libraries.Remove(path);
                    shared.Library.Dispose();
                    _logger.LogDebug("PKCS#11 module '{Path}' finalised.", path);
                }
            }
        }

        private sealed class SharedLibrary
        {
            public SharedLibrary(IPkcs11Library library)
            {
                Library = library;
            }

            public IPkcs11Library Library { get; }

            public int Users { get; set; }
        }
    }

    /// <summary>One user's handle on a shared, initialised PKCS#11 library.</summary>
    internal sealed class InteropPkcs11Module : IPkcs11Module
    {
        private readonly IPkcs11Library _library;
        private readonly Action _release;
        private readonly ILogger _logger;
        private bool _disposed;

        public InteropPkcs11Module(string path, IPkcs11Library library, Action release, ILogger logger)
        {
            Path = path;
            _library = library;
            _release = release;
            _logger = logger;
        }

        public string Path { get; }

        public IReadOnlyList<Pkcs11Token> GetTokens()
        {
            var tokens = new List<Pkcs11Token>();
            List<ISlot> slots = Call("C_GetSlotList", () => _library.GetSlotList(SlotsType.WithTokenPresent));
            foreach (ISlot slot in slots)
            {
                try
                {
                    ISlotInfo slotInfo = slot.GetSlotInfo();
                    ITokenInfo info = slot.GetTokenInfo();
                    ulong flags = info.TokenFlags.Flags;
                    if ((flags & Pkcs11Flags.TokenInitialized) == 0)
                    {
                        _logger.LogDebug("Slot {Slot} ('{Description}') holds an uninitialised token; skipped.", slot.SlotId, slotInfo.SlotDescription.Trim());
                        continue;
                    }

                    tokens.Add(new Pkcs11Token(Path, slot.SlotId, slotInfo.SlotDescription, info.Label, info.SerialNumber, info.Model, info.ManufacturerId, flags, info.MinPinLen, info.MaxPinLen));
                }
                catch (Pkcs11Exception e)
                {
                    // A token removed or unreadable between C_GetSlotList and C_GetTokenInfo: not a card to show.
                    _logger.LogDebug("Slot {Slot}: {Method} returned {Rv}; skipped.", slot.SlotId, e.Method, e.RV);
                }
            }

            return tokens;
        }

        public void InitPin(ulong slotId, byte[] puk, byte[] newPin)
        {
            ISlot slot = FindSlot(slotId);
            using (ISession session = Call("C_OpenSession", () => slot.OpenSession(SessionType.ReadWrite)))
            {
                Call("C_Login", () => session.Login(CKU.CKU_SO, puk));
                try
                {
                    Call("C_InitPIN", () => session.InitPin(newPin));
                }
                finally
                {
                    TryLogout(session);
                }
            }
        }

        public void SetPin(ulong slotId, byte[] currentPin, byte[] newPin)
        {
            ISlot slot = FindSlot(slotId);
            using (ISession session = Call("C_OpenSession", () => slot.OpenSession(SessionType.ReadWrite)))
            {
                Call("C_SetPIN", () => session.SetPin(currentPin, newPin));
            }
        }

        public IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId)
        {
            ISlot slot = FindSlot(slotId);
            var result = new List<Pkcs11CertificateObject>();
            using (ISession session = Call("C_OpenSession", () => slot.OpenSession(SessionType.ReadOnly)))
            {
                var attributes = _library.Factories.ObjectAttributeFactory;
                var template = new List<IObjectAttribute>
                {
                    attributes.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE),
                    attributes.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
                };
                List<IObjectHandle> handles = Call("C_FindObjects", () => session.FindAllObjects(template));
                foreach (IObjectHandle handle in handles)
                {
                    List<IObjectAttribute> values = Call("C_GetAttributeValue", () => session.GetAttributeValue(handle, new List<CKA> { CKA.CKA_VALUE, CKA.CKA_LABEL, CKA.CKA_ID }));
                    if (values[0].CannotBeRead)
                    {
                        continue;
                    }

                    result.Add(new Pkcs11CertificateObject(
                        values[0].GetValueAsByteArray() ?? Array.Empty<byte>(),
                        values[1].CannotBeRead ? string.Empty : values[1].GetValueAsString() ?? string.Empty,
                        values[2].CannotBeRead ? Array.Empty<byte>() : values[2].GetValueAsByteArray() ?? Array.Empty<byte>()));
                }
            }

            return result;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _release();
        }

        private ISlot FindSlot(ulong slotId)
        {
            foreach (ISlot slot in Call("C_GetSlotList", () => _library.GetSlotList(SlotsType.WithTokenPresent)))
            {
                if (slot.SlotId == slotId)
                {
                    return slot;
                }
            }

            throw new Pkcs11CallException("C_GetSlotList", Pkcs11ReturnValues.TokenNotPresent);
        }

        private static void TryLogout(ISession session)
        {
            try
            {
                session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Closing the session logs out as well.
            }
        }

        private static T Call<T>(string function, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (Pkcs11Exception e)
            {
                throw new Pkcs11CallException(e.Method ?? function, (ulong)e.RV, e);
            }
        }

        private static void Call(string function, Action call)
        {
            try
            {
                call();
            }
            catch (Pkcs11Exception e)
            {
                throw new Pkcs11CallException(e.Method ?? function, (ulong)e.RV, e);
            }
        }
    }

    /// <summary>
    /// Pkcs11Interop 5.3 calls dlopen through a library named "libdl". Since glibc 2.34 only "libdl.so.2" exists
    /// on a system without the C development package (Debian 12, Ubuntu 22.04+), so the load fails with
    /// DllNotFoundException. On .NET Core / PowerShell 7 a DllImport resolver maps the name; it is set through
    /// reflection because this assembly targets netstandard2.0 (Windows PowerShell on .NET Framework needs none).
    /// </summary>
    internal static class NativeLoaderFix
    {
        private static bool _done;

        public static void Ensure()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return;
            }

            Type? nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type? resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary is null || resolverType is null)
            {
                return;
            }

            MethodInfo? set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo resolve = typeof(NativeLoaderFix).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!;
            if (set is null)
            {
                return;
            }

            try
            {
                set.Invoke(null, new object[] { typeof(Pkcs11Exception).Assembly, Delegate.CreateDelegate(resolverType, resolve) });
            }
            catch (TargetInvocationException)
            {
                // Another component of this process set a resolver for Pkcs11Interop already: keep it.
            }
        }

        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != "libdl")
            {
                return IntPtr.Zero;
            }

            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary")!;
            MethodInfo tryLoad = nativeLibrary.GetMethod("TryLoad", new[] { typeof(string), typeof(IntPtr).MakeByRefType() })!;
            foreach (string name in new[] { "libdl.so.2", "libc.so.6" })
            {
                object[] args = { name, IntPtr.Zero };
                if ((bool)tryLoad.Invoke(null, args)!)
                {
                    return (IntPtr)args[1];
                }
            }

            return IntPtr.Zero;
        }
    }
}
