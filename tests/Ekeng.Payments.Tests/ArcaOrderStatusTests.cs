namespace Ekeng.Payments.Tests;

/// <summary>The traps of ArCa's getOrderStatusExtended.do reply that public client plugins get wrong: errorCode 0 (string or number, or absent) is not "paid", date is in epoch milliseconds, approvalCode sits inside cardAuthInfo.</summary>
public class ArcaOrderStatusTests
{
    private const string Paid = """
        {"errorCode":"0","errorMessage":"Success","orderNumber":"F123456789020261127-1","orderStatus":2,"actionCode":0,
         "actionCodeDescription":"","amount":300000,"currency":"051","date":1795837200123,
         "cardAuthInfo":{"pan":"408306**1818","expiration":"202912","cardholderName":"ANNA PETROSYAN","approvalCode":"123456"},
         "authDateTime":1795837290000,"authRefNum":"111111111111","terminalId":"98000001"}
        """;

    [Fact]
    public void APaidOrder_ReadsEveryField()
    {
        ArcaOrderStatus s = ArcaOrderStatus.Parse(Paid);
        Assert.Equal(0, s.ErrorCode);
        Assert.True(s.IsPaid());
        Assert.Equal(FeePaymentStatus.Paid, s.ToFeeStatus());
        Assert.Equal(300000, s.AmountMinor);
        Assert.Equal(3000m, s.Amount);
        Assert.Equal("051", s.Currency);
        Assert.Equal("408306**1818", s.MaskedPan);
        Assert.Equal("202912", s.Expiration);
        Assert.Equal("ANNA PETROSYAN", s.CardholderName);
        Assert.Equal(PaymentMethod.Visa, s.Method);
        Assert.Null(s.ActionCodeDescription);
        Assert.Equal("98000001", s.TerminalId);
    }

    [Fact]
    public void Date_IsEpochMilliseconds_NotSeconds()
    {
        ArcaOrderStatus s = ArcaOrderStatus.Parse(Paid);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795837200123), s.Date);
        Assert.Equal(2026, s.Date!.Value.Year);
        Assert.Equal(123, s.Date.Value.Millisecond);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795837290000), s.AuthDateTime);
    }

    [Fact]
    public void ApprovalCode_ComesFromCardAuthInfo_NotTheTopLevel()
    {
        ArcaOrderStatus s = ArcaOrderStatus.Parse("""{"orderStatus":2,"approvalCode":"WRONG","cardAuthInfo":{"approvalCode":"654321","pan":"905100**0015"}}""");
        Assert.Equal("654321", s.ApprovalCode);
        Assert.Equal(PaymentMethod.ArCa, s.Method);

        ArcaOrderStatus top = ArcaOrderStatus.Parse("""{"orderStatus":2,"approvalCode":"WRONG"}""");
        Assert.Null(top.ApprovalCode);
    }

    [Theory]
    [InlineData("""{"errorCode":"0","orderStatus":2}""", 0)]
    [InlineData("""{"errorCode":0,"orderStatus":2}""", 0)]
    [InlineData("""{"orderStatus":2}""", 0)]
    [InlineData("""{"errorCode":"","orderStatus":2}""", 0)]
    [InlineData("""{"errorCode":"6","errorMessage":"Order not found"}""", 6)]
    [InlineData("""{"errorCode":5,"errorMessage":"Access denied"}""", 5)]
    public void ErrorCode_IsANumberAStringOrAbsent(string json, int expected)
    {
        ArcaOrderStatus s = ArcaOrderStatus.Parse(json);
        Assert.Equal(expected, s.ErrorCode);
        Assert.Equal(expected == 0, s.IsSuccess);
        Assert.Equal(expected == 0, s.IsPaid());
    }

    [Theory]
    [InlineData(0, null, false, FeePaymentStatus.Pending)]
    [InlineData(5, null, false, FeePaymentStatus.Pending)]
    [InlineData(1, null, false, FeePaymentStatus.Pending)]
    [InlineData(1, null, true, FeePaymentStatus.Paid)]
    [InlineData(2, 0, false, FeePaymentStatus.Paid)]
    [InlineData(3, null, false, FeePaymentStatus.Reversed)]
    [InlineData(4, null, false, FeePaymentStatus.Refunded)]
    [InlineData(6, 116, false, FeePaymentStatus.Declined)]
    [InlineData(6, -2007, false, FeePaymentStatus.Expired)]
    public void OrderStatus_MapsToEkengsStatus_ErrorCodeZeroIsNotPaid(int orderStatus, int? actionCode, bool twoStage, FeePaymentStatus expected)
    {
        string action = actionCode is int a ? $",\"actionCode\":{a}" : string.Empty;
        ArcaOrderStatus s = ArcaOrderStatus.Parse($$"""{"errorCode":"0","orderStatus":{{orderStatus}}{{action}}}""");
        Assert.Equal(expected, s.ToFeeStatus(twoStage));
    }

    [Fact]
    public void NumbersSentAsStrings_AreRead()
    {
        ArcaOrderStatus s = ArcaOrderStatus.Parse("""{"orderStatus":"6","actionCode":"116","actionCodeDescription":"Insufficient funds","amount":"300000","date":"1795837200000"}""");
        Assert.Equal(6, s.OrderStatus);
        Assert.Equal(116, s.ActionCode);
        Assert.Equal(3000m, s.Amount);
        Assert.Equal(FeePaymentStatus.Declined, s.ToFeeStatus());
        Assert.NotNull(s.Date);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"orderStatus":"two"}""")]
    public void Garbage_IsAFormatException(string json) =>
        Assert.Throws<FormatException>(() => ArcaOrderStatus.Parse(json));

    [Theory]
    [InlineData("408306**1818", PaymentMethod.Visa)]
    [InlineData("905100**0015", PaymentMethod.ArCa)]
    [InlineData("5100000000000008", PaymentMethod.MasterCard)]
    [InlineData("222100**0000", PaymentMethod.MasterCard)]
    [InlineData("3700**0000", null)]
    public void CardBrand_FromTheBin(string pan, PaymentMethod? expected) => Assert.Equal(expected, CardBrand.FromPan(pan));
}
