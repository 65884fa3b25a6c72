namespace Ekeng.Security
{
    /// <summary>
    /// The only place where a <see cref="SecureString"/> is opened. Every plain copy (the unmanaged UTF-16
    /// buffer, the char array, the UTF-8 bytes) is pinned while it lives and zeroed in <c>finally</c>.
    /// Callers get the bytes inside a callback and must not keep them.
    /// </summary>
    public static class SecretExtensions
    {
        public delegate T SecretBytesFunc<T>(byte[] utf8);

        public delegate T SecretCharsFunc<T>(char[] chars);

        /// <summary>Runs <paramref name="use"/> with the secret's characters; they are zeroed afterwards.</summary>
        public static T UseChars<T>(this SecureString secret, SecretCharsFunc<T> use)
        {
            if (secret is null)
            {
                throw new ArgumentNullException(nameof(secret));
            }

            IntPtr unmanaged = IntPtr.Zero;
            char[] chars = new char[secret.Length];
            GCHandle pin = GCHandle.Alloc(chars, GCHandleType.Pinned);
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return use(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
                pin.Free();
                if (unmanaged != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                }
            }
        }

        /// <summary>Runs <paramref name="use"/> with the secret as UTF-8 bytes; they are zeroed afterwards.</summary>
        public static T UseUtf8Bytes<T>(this SecureString secret, SecretBytesFunc<T> use)
        {
            return secret.UseChars(chars =>
            {
                byte[] bytes = new byte[Encoding.UTF8.GetByteCount(chars)];
                GCHandle pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                try
                {
                    Encoding.UTF8.GetBytes(chars, 0, chars.Length, bytes, 0);
                    return use(bytes);
                }
                finally
                {
                    Array.Clear(bytes, 0, bytes.Length);
                    pin.Free();
                }
            });
        }

        /// <summary>True when every character is an ASCII digit ("0123" counts: leading zeros are kept).</summary>
        public static bool IsDigitsOnly(this SecureString secret)
        {
            return secret.UseChars(chars =>
            {
                foreach (char c in chars)
                {
                    if (c < '0' || c > '9')
                    {
                        return false;
                    }
                }

                return true;
            });
        }

        /// <summary>Compares two secrets in time that depends only on their lengths.</summary>
        public static bool SecretEquals(this SecureString left, SecureString right)
        {
            if (left is null || right is null)
            {
                return ReferenceEquals(left, right);
            }

            return left.UseChars(a => right.UseChars(b =>
            {
                int diff = a.Length ^ b.Length;
                int n = Math.Min(a.Length, b.Length);
                for (int i = 0; i < n; i++)
                {
                    diff |= a[i] ^ b[i];
                }

                return diff == 0;
            }));
        }
    }
}
