namespace Ekeng.Rigs.VirtualCard;

/// <summary>ISO/IEC 7816-3 answer-to-reset: the default and a structural check.</summary>
internal static class Atr
{
    /// <summary>
    /// The one default ATR of the virtual card. An NXP JCOP3 SecID P60 CS ATR (listed in pcsc-tools'
    /// smartcard_list.txt), the kind of Java Card platform CryptoTech's CryptoCard applets run on:
    /// TS=3B (direct), T0=DC (TA1 TC1 TD1, 12 historical bytes), TA1=18 (Fi/Di), TC1=FF (N=255),
    /// TD1=81 (T=1, TD2), TD2=91 (T=1, TA3 TD3), TA3=FE (IFSC 254), TD3=1F (T=15, TA4), TA4=C3,
    /// historical bytes 80 73 C8 21 13 66 05 03 63 51 00 02, TCK=50 (XOR T0..TCK = 0).
    /// </summary>
    public const string DefaultHex = "3B:DC:18:FF:81:91:FE:1F:C3:80:73:C8:21:13:66:05:03:63:51:00:02:50";

    /// <summary>Throws <see cref="FormatException"/> unless <paramref name="atr"/> is a well-formed ATR.</summary>
    public static void Validate(ReadOnlySpan<byte> atr)
    {
        if (atr.Length < 2 || atr.Length > 33)
        {
            throw new FormatException($"An ATR has 2 to 33 bytes, not {atr.Length}.");
        }

        if (atr[0] is not (0x3B or 0x3F))
        {
            throw new FormatException($"TS must be 3B or 3F, not {atr[0]:X2}.");
        }

        int historical = atr[1] & 0x0F;
        int y = atr[1] >> 4;
        int index = 2;
        bool tckRequired = false;
        while (true)
        {
            for (int bit = 0; bit < 3; bit++)
            {
                if ((y & (1 << bit)) != 0)
                {
                    index++; // TAi, TBi, TCi
                }
            }

            if ((y & 0x08) == 0)
            {
                break;
            }

            if (index >= atr.Length)
            {
                throw new FormatException("The ATR ends inside its interface bytes.");
            }

            byte td = atr[index++];
            if ((td & 0x0F) != 0)
            {
                tckRequired = true; // any protocol but T=0 indicated: TCK is mandatory
            }

            y = td >> 4;
        }

        int expected = index + historical + (tckRequired ? 1 : 0);
        if (atr.Length != expected)
        {
            throw new FormatException(
                $"The ATR has {atr.Length} bytes but its interface bytes announce {expected}" +
                (tckRequired ? " (including TCK)." : " (no TCK: T=0 only)."));
        }

        if (tckRequired)
        {
            byte x = 0;
            foreach (byte b in atr[1..])
            {
                x ^= b;
            }

            if (x != 0)
            {
                byte tck = 0;
                foreach (byte b in atr[1..^1])
                {
                    tck ^= b;
                }

                throw new FormatException($"Wrong TCK {atr[^1]:X2}; it must be {tck:X2}.");
            }
        }
    }
}
