using Ekeng.Diagnostics;
using Ekeng.PcSc;

namespace Ekeng.Tests.PcSc;

/// <summary>The PC/SC return codes a reader gives, as the catalogue's ids, categories and actions.</summary>
public sealed class PcScErrorTests
{
    [Theory]
    [InlineData(PcScResult.NoSmartcard, "CardNotPresent", EkengErrorKind.ObjectNotFound)]
    [InlineData(PcScResult.RemovedCard, "CardNotPresent", EkengErrorKind.ObjectNotFound)]
    [InlineData(PcScResult.SharingViolation, "CardInUse", EkengErrorKind.ResourceBusy)]
    [InlineData(PcScResult.UnresponsiveCard, "CardUnresponsive", EkengErrorKind.DeviceError)]
    [InlineData(PcScResult.UnpoweredCard, "CardUnresponsive", EkengErrorKind.DeviceError)]
    [InlineData(PcScResult.InsufficientBuffer, "PcscError", EkengErrorKind.DeviceError)]
    [InlineData(PcScResult.NoService, "PcscServiceUnavailable", EkengErrorKind.ResourceUnavailable)]
    public void A_Return_Code_Reads_As_Its_Catalogue_Entry(uint code, string id, EkengErrorKind kind)
    {
        PcScException e = PcScException.FromCode(code, "SCardTransmit", "Reader 0");

        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(code, e.Code);
        Assert.Same(EkengErrors.Find(id), e.Error);
        Assert.False(string.IsNullOrWhiteSpace(e.RecommendedAction));
    }

    [Fact]
    public void A_Response_Shorter_Than_The_Status_Bytes_Is_MalformedResponse()
    {
        var fake = new FakePcScNative { Readers = new[] { "Reader 0" } };
        fake.Responses.Enqueue(new byte[] { 0x90 });
        using PcScCard card = PcScContext.Establish(fake, null).Connect("Reader 0");

        var e = Assert.Throws<PcScException>(() => card.Transmit(new byte[] { 0x00, 0xCA, 0x01, 0x00, 0x00 }));

        Assert.Equal("MalformedResponse", e.ErrorId);
        Assert.Equal(EkengErrorKind.ProtocolError, e.Kind);
        Assert.Equal(PcScErrors.MalformedResponse.Action, e.RecommendedAction);
    }
}
