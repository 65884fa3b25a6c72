using Ekeng.PcSc;
using System.Globalization;

namespace Ekeng.Rigs.VirtualCard;

/// <summary>Command-line options. The card only ever connects to 127.0.0.1.</summary>
internal sealed record Options(int Port, byte[] Atr, byte[] Aid, byte[] Serial, int? ParentPid)
{
    public const int DefaultPort = 35963; // vpcd's default (/etc/reader.conf.d/vpcd: 0x8C7B)

    /// <summary>PKCS#15 application AID: A0 00 00 00 63 "PKCS-15".</summary>
    public const string DefaultAidHex = "A000000063504B43532D3135";

    public const string DefaultSerialHex = "0123456789ABCDEF";

    public const string Usage =
        "VirtualCard [--port N] [--atr HEX] [--aid HEX] [--serial HEX] [--parent-pid PID]\n" +
        "  Plays an ARMID-like card to vpcd on 127.0.0.1:N (default 35963).\n" +
        "  stdin commands: remove | insert | ping [token] | quit\n" +
        "  stdout events: CONNECTED POWER_ON POWER_OFF RESET ATR 'APDU <c> -> <r>' DISCONNECTED ...";

    public static Options Parse(string[] args)
    {
        int port = DefaultPort;
        byte[] atr = Hex.Parse(VirtualCard.Atr.DefaultHex);
        VirtualCard.Atr.Validate(atr); // the default obeys the same rules as --atr
        byte[] aid = Hex.Parse(DefaultAidHex);
        byte[] serial = Hex.Parse(DefaultSerialHex);
        int? parent = null;

        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                throw new OptionsException(Usage, help: true);
            }

            if (i + 1 >= args.Length)
            {
                throw new OptionsException($"{name} needs a value.");
            }

            string value = args[++i];
            try
            {
                switch (name)
                {
                    case "--port":
                        port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                        if (port is < 1 or > 65535)
                        {
                            throw new OptionsException($"--port {value} is not a TCP port.");
                        }

                        break;
                    case "--atr":
                        atr = Hex.Parse(value);
                        VirtualCard.Atr.Validate(atr);
                        break;
                    case "--aid":
                        aid = Hex.Parse(value);
                        if (aid.Length is < 5 or > 16)
                        {
                            throw new OptionsException("--aid must have 5 to 16 bytes.");
                        }

                        break;
                    case "--serial":
                        serial = Hex.Parse(value);
                        if (serial.Length > 253)
                        {
                            throw new OptionsException("--serial must have at most 253 bytes.");
                        }

                        break;
                    case "--parent-pid":
                        parent = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new OptionsException($"Unknown option {name}.");
                }
            }
            catch (FormatException ex)
            {
                throw new OptionsException($"{name}: {ex.Message}");
            }
            catch (OverflowException ex)
            {
                throw new OptionsException($"{name}: {ex.Message}");
            }
        }

        return new Options(port, atr, aid, serial, parent);
    }
}

internal sealed class OptionsException(string message, bool help = false) : Exception(message)
{
    public bool Help { get; } = help;
}
