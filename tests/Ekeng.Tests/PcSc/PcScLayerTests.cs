using Ekeng.Diagnostics;
using Ekeng.PcSc;

namespace Ekeng.Tests.PcSc;

public sealed class PcScLayerTests
{
    private static PcScCard Connect(FakePcScNative fake)
    {
        fake.Readers = new[] { "Reader 0" };
        return PcScContext.Establish(fake, null).Connect("Reader 0");
    }

    [Fact]
    public void Transmit_Fetches_The_Rest_With_Get_Response_On_61xx()
    {
        var fake = new FakePcScNative();
        fake.Responses.Enqueue(new byte[] { 0x61, 0x04 });
        fake.Responses.Enqueue(new byte[] { 1, 2, 3, 4, 0x90, 0x00 });
        using PcScCard card = Connect(fake);

        ResponseApdu r = card.Transmit(new byte[] { 0x00, 0xCA, 0x01, 0x00, 0x00 });

        Assert.True(r.IsSuccess);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, r.Data);
        Assert.Equal(new byte[] { 0x00, 0xC0, 0x00, 0x00, 0x04 }, fake.Sent[1]);
    }

    [Fact]
    public void Transmit_Resends_With_The_Le_Of_6Cxx_Once()
    {
        var fake = new FakePcScNative();
        fake.Responses.Enqueue(new byte[] { 0x6C, 0x10 });
        fake.Responses.Enqueue(new byte[] { 0xAA, 0xBB, 0x90, 0x00 });
        using PcScCard card = Connect(fake);

        ResponseApdu r = card.Transmit(new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x05 });

        Assert.Equal(0x9000, r.StatusWord);
        Assert.Equal(2, fake.Sent.Count);
        Assert.Equal(new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x10 }, fake.Sent[1]);
    }

    [Fact]
    public void Transmit_Never_Resends_An_Error_Status()
    {
        var fake = new FakePcScNative();
        fake.Responses.Enqueue(new byte[] { 0x63, 0xC2 });
        using PcScCard card = Connect(fake);

        ResponseApdu r = card.Transmit(new byte[] { 0x00, 0x20, 0x00, 0x81, 0x02, 0x31, 0x32 });

        Assert.Equal(0x63C2, r.StatusWord);
        Assert.Single(fake.Sent);
    }

    [Fact]
    public void WithLe_Appends_Le_To_A_Case3_Command()
    {
        byte[] result = PcScCard.WithLe(new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x02, 0x3F, 0x00 }, 0x1C);
        Assert.Equal(new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x02, 0x3F, 0x00, 0x1C }, result);
    }

    [Fact]
    public void A_Missing_Library_Is_A_Clear_Error_Not_A_DllNotFoundException()
    {
        var fake = new FakePcScNative { EstablishThrows = new DllNotFoundException("libpcsclite.so.1") };
        EkengException e = Assert.Throws<EkengException>(() => PcScContext.Establish(fake, null));
        Assert.Equal("PcscLibraryNotFound", e.ErrorId);
        Assert.Equal(EkengErrorKind.NotInstalled, e.Kind);
        Assert.NotNull(e.RecommendedAction);
    }

    [Fact]
    public void No_Service_Is_PcscServiceUnavailable()
    {
        var fake = new FakePcScNative { EstablishResult = PcScResult.NoService };
        PcScException e = Assert.Throws<PcScException>(() => PcScContext.Establish(fake, null));
        Assert.Equal("PcscServiceUnavailable", e.ErrorId);
        Assert.Equal(EkengErrorKind.ResourceUnavailable, e.Kind);
        Assert.Contains("SCARD_E_NO_SERVICE", e.Message);
    }

    [Fact]
    public void No_Readers_Is_An_Empty_List()
    {
        using PcScContext context = PcScContext.Establish(new FakePcScNative(), null);
        Assert.Empty(context.ListReaders());
    }

    [Fact]
    public void WaitForCard_Returns_When_A_Card_Arrives()
    {
        int calls = 0;
        var fake = new FakePcScNative
        {
            Readers = new[] { "R0" },
            OnGetStatusChange = (states, timeout) =>
            {
                calls++;
                states[0].EventState = calls < 2 ? (uint)ReaderStateFlags.Empty : (uint)(ReaderStateFlags.Present | ReaderStateFlags.Changed) | (1u << 16);
                states[0].Atr = calls < 2 ? Array.Empty<byte>() : new byte[] { 0x3B, 0x00 };
                states[1].EventState = 0;
                return PcScResult.Success;
            },
        };
        using PcScContext context = PcScContext.Establish(fake, null);

        ReaderStatus status = context.WaitForCard(_ => true, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal("R0", status.Reader);
        Assert.True(status.CardPresent);
        Assert.Equal(1, status.EventCount);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void WaitForCard_Times_Out_With_PcscTimeout()
    {
        var fake = new FakePcScNative
        {
            Readers = new[] { "R0" },
            OnGetStatusChange = (states, timeout) =>
            {
                states[0].EventState = (uint)ReaderStateFlags.Empty;
                if (timeout > 0)
                {
                    Thread.Sleep((int)timeout);
                    return PcScResult.Timeout;
                }

                return PcScResult.Success;
            },
        };
        using PcScContext context = PcScContext.Establish(fake, null);

        PcScException e = Assert.Throws<PcScException>(() => context.WaitForCard(_ => true, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Equal("PcscTimeout", e.ErrorId);
    }

    [Fact]
    public void WaitForCard_Cancels_Through_SCardCancel()
    {
        using var cts = new CancellationTokenSource();
        var fake = new FakePcScNative { Readers = new[] { "R0" } };
        fake.OnGetStatusChange = (states, timeout) =>
        {
            states[0].EventState = (uint)ReaderStateFlags.Empty;
            if (timeout == 0)
            {
                return PcScResult.Success;
            }

            cts.Cancel(); // as Ctrl+C would, from "another thread"
            return fake.CancelCalls > 0 ? PcScResult.Cancelled : PcScResult.Timeout;
        };
        using PcScContext context = PcScContext.Establish(fake, null);

        PcScException e = Assert.Throws<PcScException>(() => context.WaitForCard(_ => true, TimeSpan.FromSeconds(30), cts.Token));
        Assert.Equal("PcscCancelled", e.ErrorId);
        Assert.Equal(1, fake.CancelCalls);
    }
}
