using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ekeng.Rigs.SoftHsm;

// Usage: SoftHsmTokens create --module <lib> --token-dir <dir> --out <dir> [--serial S] [--given G] [--surname S] [--number N] [--valid-days D]
// The PUK comes from the environment variable EKENG_RIG_PUK (test value; never on a command line); the SignPIN
// token's own, when it differs, from EKENG_RIG_SIGN_PUK. [--auth-suffix c0000001] [--sign-suffix c0000002].
// [--ca-name CN]: the test CA's common name (two cards trusted by one sandbox need CAs of different names).
// SOFTHSM2_CONF must point to a configuration whose directories.tokendir is --token-dir.
// Writes <out>/ca.cer, ca.pem, auth.cer, sign.cer and prints "serial=<serial>".
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (args.Length == 0 || args[0] != "create" || !options.ContainsKey("module") || !options.ContainsKey("token-dir") || !options.ContainsKey("out"))
{
    Console.Error.WriteLine("usage: SoftHsmTokens create --module <lib> --token-dir <dir> --out <dir> [--serial S] [--given G] [--surname S] [--number N] [--valid-days D]");
    return 2;
}

string? pukText = Environment.GetEnvironmentVariable("EKENG_RIG_PUK");
if (string.IsNullOrEmpty(pukText))
{
    Console.Error.WriteLine("EKENG_RIG_PUK is not set.");
    return 2;
}

SoftHsmCardFactory.FixLibdl();
var holder = new RigHolder(options.GetValueOrDefault("given", "ARMEN"), options.GetValueOrDefault("surname", "SARGSYAN"), options.GetValueOrDefault("number", "1234567890"));
byte[] puk = Encoding.UTF8.GetBytes(pukText);
// EKENG_RIG_SIGN_PUK: the SignPIN token's own PUK (default: the same as the AuthPIN token's).
string? signPukText = Environment.GetEnvironmentVariable("EKENG_RIG_SIGN_PUK");
byte[] signPuk = string.IsNullOrEmpty(signPukText) ? puk : Encoding.UTF8.GetBytes(signPukText);
string authSuffix = options.GetValueOrDefault("auth-suffix", "c0000001");
string signSuffix = options.GetValueOrDefault("sign-suffix", "c0000002");
int? validDays = options.TryGetValue("valid-days", out string? days) ? int.Parse(days, System.Globalization.CultureInfo.InvariantCulture) : null;
X509Certificate2? ca = options.TryGetValue("ca-name", out string? caName) ? SoftHsmCardFactory.CreateCa(caName) : null;
RigCard card = SoftHsmCardFactory.Create(options["module"], options["token-dir"], puk, signPuk, holder, options.GetValueOrDefault("serial", "ec0a1d00"), ca, authSuffix, signSuffix, validDays);
Array.Clear(puk);
Array.Clear(signPuk);
string output = options["out"];
Directory.CreateDirectory(output);
File.WriteAllBytes(Path.Combine(output, "ca.cer"), card.CaCertificate.RawData);
File.WriteAllText(Path.Combine(output, "ca.pem"), card.CaCertificate.ExportCertificatePem() + "\n");
File.WriteAllBytes(Path.Combine(output, "auth.cer"), card.AuthCertificate.RawData);
File.WriteAllBytes(Path.Combine(output, "sign.cer"), card.SignCertificate.RawData);
Console.WriteLine($"serial={card.SerialNumber}{authSuffix}");
return 0;
