namespace Ekeng.Rigs.VirtualCard;

/// <summary>
/// A small but real ISO/IEC 7816-4 command interpreter (short APDUs only).
/// <list type="table">
/// <item><term>00 A4 04 00|0C Lc AID [Le]</term><description>SELECT by AID: 9000 for the configured applet, 6A82 otherwise.</description></item>
/// <item><term>80|00 CA 9F 7F Le</term><description>GET DATA: the card serial + 9000 (Le 00 or the exact length; otherwise 6Cxx).</description></item>
/// <item><term>00 CA 01 00 Le</term><description>the "long response": 61xx, the data comes with GET RESPONSE.</description></item>
/// <item><term>00 C0 00 00 Le</term><description>GET RESPONSE: Le bytes and 61xx while more remain, then 9000; 6985 when nothing is pending.</description></item>
/// <item><term>00 B0 P1 P2 Le</term><description>READ BINARY of a fixed 16-byte file: Le 00 or the exact remaining length, otherwise 6Cxx.</description></item>
/// </list>
/// Other classes 6E00, other instructions 6D00, wrong lengths 6700, wrong P1-P2 6A86, unknown GET DATA tags 6A88.
/// </summary>
internal sealed class CardApplet
{
    /// <summary>The transparent file READ BINARY returns (16 bytes).</summary>
    public static readonly byte[] BinaryFile = "ARMID VIRTUAL EF"u8.ToArray();

    /// <summary>The data behind the long response (00 CA 01 00): 200 bytes 00 01 02 ... C7.</summary>
    public static readonly byte[] LongResponse = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();

    private readonly byte[] _aid;
    private readonly byte[] _serial;
    private byte[]? _pending;
    private int _pendingOffset;

    public CardApplet(byte[] aid, byte[] serial)
    {
        _aid = aid;
        _serial = serial;
    }

    /// <summary>True once the applet has been selected since the last power-up or reset.</summary>
    public bool Selected { get; private set; }

    /// <summary>Power off, power on and reset forget the selection and any pending response.</summary>
    public void Reset()
    {
        Selected = false;
        _pending = null;
        _pendingOffset = 0;
    }

    public byte[] Process(ReadOnlySpan<byte> command)
    {
        if (command.Length < 4)
        {
            return Sw(0x6700);
        }

        byte cla = command[0];
        byte ins = command[1];
        if (cla is not (0x00 or 0x80))
        {
            _pending = null;
            return Sw(0x6E00);
        }

        bool getResponse = cla == 0x00 && ins == 0xC0;
        if (!getResponse)
        {
            _pending = null; // a pending response only survives until the next command
        }

        if (!Apdu.TryParse(command, out Apdu apdu))
        {
            return Sw(0x6700);
        }

        return (cla, ins) switch
        {
            (0x00, 0xA4) => Select(apdu),
            (0x00, 0xCA) or (0x80, 0xCA) => GetData(apdu),
            (0x00, 0xC0) => GetResponse(apdu),
            (0x00, 0xB0) => ReadBinary(apdu),
            _ => Sw(0x6D00),
        };
    }

    private byte[] Select(Apdu apdu)
    {
        if (apdu.P1 != 0x04 || apdu.P2 is not (0x00 or 0x0C))
        {
            return Sw(0x6A86);
        }

        if (apdu.Data.Length == 0)
        {
            return Sw(0x6700);
        }

        if (!apdu.Data.AsSpan().SequenceEqual(_aid))
        {
            return Sw(0x6A82);
        }

        Selected = true;
        return Sw(0x9000);
    }

    private byte[] GetData(Apdu apdu)
    {
        int tag = (apdu.P1 << 8) | apdu.P2;
        if (tag == 0x9F7F)
        {
            return apdu.Le is null || apdu.Data.Length != 0 ? Sw(0x6700) : Exact(_serial, apdu.Le.Value);
        }

        if (tag == 0x0100 && apdu.Cla == 0x00)
        {
            if (apdu.Le is null || apdu.Data.Length != 0)
            {
                return Sw(0x6700);
            }

            _pending = LongResponse;
            _pendingOffset = 0;
            return Remaining(LongResponse.Length);
        }

        return Sw(0x6A88);
    }

    private byte[] GetResponse(Apdu apdu)
    {
        byte[]? pending = _pending;
        _pending = null;
        if (apdu.P1 != 0 || apdu.P2 != 0)
        {
            return Sw(0x6A86);
        }

        if (pending is null)
        {
            return Sw(0x6985);
        }

        if (apdu.Le is null || apdu.Data.Length != 0)
        {
            return Sw(0x6700);
        }

        int left = pending.Length - _pendingOffset;
        int le = apdu.Le.Value;
        if (le > left)
        {
            _pending = pending; // ask again with the right length
            return Sw(0x6C00 | (left & 0xFF));
        }

        int take = le == 0 ? Math.Min(256, left) : le;
        var chunk = pending.AsSpan(_pendingOffset, take);
        _pendingOffset += take;
        left -= take;
        if (left == 0)
        {
            return [.. chunk, 0x90, 0x00];
        }

        _pending = pending;
        return [.. chunk, .. Remaining(left)];
    }

    private byte[] ReadBinary(Apdu apdu)
    {
        if ((apdu.P1 & 0x80) != 0)
        {
            return Sw(0x6A86); // short EF identifiers are not supported
        }

        int offset = (apdu.P1 << 8) | apdu.P2;
        if (apdu.Le is null || apdu.Data.Length != 0)
        {
            return Sw(0x6700);
        }

        if (offset >= BinaryFile.Length)
        {
            return Sw(0x6B00);
        }

        return Exact(BinaryFile.AsSpan(offset), apdu.Le.Value);
    }

    /// <summary>Le 00 (up to 256) or exactly the length: data + 9000; any other Le: 6C + the length (T=0 style).</summary>
    private static byte[] Exact(ReadOnlySpan<byte> data, int le)
    {
        if (le != 0 && le != data.Length)
        {
            return Sw(0x6C00 | (data.Length & 0xFF));
        }

        return [.. data, 0x90, 0x00];
    }

    private static byte[] Remaining(int count) => Sw(0x6100 | (count > 255 ? 0 : count));

    private static byte[] Sw(int sw) => [(byte)(sw >> 8), (byte)sw];
}

/// <summary>A parsed short command APDU (cases 1 to 4). Le is null when absent, 0 for "00" (up to 256).</summary>
internal readonly record struct Apdu(byte Cla, byte Ins, byte P1, byte P2, byte[] Data, int? Le)
{
    public static bool TryParse(ReadOnlySpan<byte> c, out Apdu apdu)
    {
        apdu = default;
        if (c.Length < 4)
        {
            return false;
        }

        if (c.Length == 4)
        {
            apdu = new Apdu(c[0], c[1], c[2], c[3], [], null); // case 1
            return true;
        }

        if (c.Length == 5)
        {
            apdu = new Apdu(c[0], c[1], c[2], c[3], [], c[4]); // case 2
            return true;
        }

        int lc = c[4];
        if (lc == 0)
        {
            return false; // extended length: not supported by this card
        }

        if (c.Length == 5 + lc)
        {
            apdu = new Apdu(c[0], c[1], c[2], c[3], c.Slice(5, lc).ToArray(), null); // case 3
            return true;
        }

        if (c.Length == 6 + lc)
        {
            apdu = new Apdu(c[0], c[1], c[2], c[3], c.Slice(5, lc).ToArray(), c[^1]); // case 4
            return true;
        }

        return false;
    }
}
