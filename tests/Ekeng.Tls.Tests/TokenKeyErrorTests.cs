using System.Text.RegularExpressions;
using Ekeng.Testing.Rig;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tls.Tests;

/// <summary>
/// A card login whose key cannot be the certificate's: the key found on the token belongs to another certificate
/// (TokenKeyMismatch), or the process's pkcs11 engine is bound to another PKCS#11 library (TlsEngineModuleConflict).
/// Both end with nothing logged in. The rig's library is pkcs11-spy over SoftHSM; SoftHSM's own path is "another".
/// </summary>
[Collection(TokenRigCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TokenKeyErrorTests(TokenRig rig)
{
    [SkippableFact]
    public void The_Signing_Certificate_With_The_Authentication_Key_Is_TokenKeyMismatch_InvalidData()
    {
        rig.Require();

        // The AuthPIN token, its PIN and its key (id 01), but the certificate of the other token: the engine opens a
        // real key, whose modulus is not the certificate's.
        var request = new ClientCertificateRequest(rig.Card!.SignCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(TokenRig.AuthPinText));
        EkengException? error = null;
        string spy = rig.Spy(() => error = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance)));
        Assert.True(error!.ErrorId == "TokenKeyMismatch", error.Message);
        Assert.Equal(EkengErrorKind.InvalidData, error.Kind);
        Assert.Contains(rig.Card.SignCertificate.Subject, error.Message);
        Assert.Single(Regex.Matches(spy, @"C_Login\b"));
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "a refused key left the token logged in");

        // The same token, key and PIN with its own certificate load.
        using TokenClientCertificate own = TokenClientCertificate.Load(new ClientCertificateRequest(rig.Card.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(TokenRig.AuthPinText)), NullLogger.Instance);
        Assert.True(own.Certificate.HasPrivateKey);
    }

    [SkippableFact]
    public void A_Second_Pkcs11_Library_For_The_Engine_Is_TlsEngineModuleConflict_InvalidOperation()
    {
        rig.Require();

        // The engine of this process starts with the rig's library (pkcs11-spy), as a command's login does.
        Pkcs11Engine.Prepare(rig.ModulePath, NullLogger.Instance);
        Assert.Equal(rig.ModulePath, Pkcs11Engine.ModulePath);
        Assert.NotEqual(TokenRig.SoftHsmPath, rig.ModulePath);

        // The same token through SoftHSM's own path: the token accepts the login, the engine cannot switch.
        var request = new ClientCertificateRequest(rig.Card!.AuthCertificate, TokenRig.SoftHsmPath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(TokenRig.AuthPinText));
        var error = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance));
        Assert.True(error.ErrorId == "TlsEngineModuleConflict", error.Message);
        Assert.Equal(EkengErrorKind.InvalidOperation, error.Kind);
        Assert.Contains(TokenRig.SoftHsmPath, error.Message);
        Assert.Contains(rig.ModulePath, error.Message);
        Assert.Equal(rig.ModulePath, Pkcs11Engine.ModulePath);
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "the refused login left the token logged in");
    }
}
