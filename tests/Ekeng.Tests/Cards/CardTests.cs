using Ekeng.Cards;
using Ekeng.PcSc;

namespace Ekeng.Tests.Cards;

public sealed class CardTests
{
    private const string ArmidLikeAtr = "3BDC18FF8191FE1FC38073C821136605036351000250";

    [Theory]
    [InlineData(ReaderStateFlags.Empty, CardState.Absent)]
    [InlineData(ReaderStateFlags.Present, CardState.Present)]
    [InlineData(ReaderStateFlags.Present | ReaderStateFlags.InUse, CardState.InUse)]
    [InlineData(ReaderStateFlags.Present | ReaderStateFlags.InUse | ReaderStateFlags.Exclusive, CardState.Exclusive)]
    [InlineData(ReaderStateFlags.Present | ReaderStateFlags.Mute, CardState.Mute)]
    [InlineData(ReaderStateFlags.Unavailable, CardState.Unavailable)]
    public void Reader_Flags_Map_To_A_Card_State(ReaderStateFlags flags, CardState expected)
    {
        Assert.Equal(expected, ReaderService.ToState(flags));
    }

    [Fact]
    public void The_ArmidLike_Atr_Is_Recognised_Whatever_Its_Tck()
    {
        byte[] atr = Hex.Parse(ArmidLikeAtr);
        Assert.True(ArmidAtr.Matches(atr));
        atr[^1] ^= 0xFF;
        Assert.True(ArmidAtr.Matches(atr));
    }

    [Fact]
    public void Another_Card_Is_Not_Armid()
    {
        Assert.False(ArmidAtr.Matches(Hex.Parse("3B8F8001804F0CA000000306030001000000006A")));
        Assert.False(new EkengCard("R", CardState.Absent, Array.Empty<byte>()).IsArmid);
    }

    [Fact]
    public void More_Patterns_Come_From_The_Environment()
    {
        const string other = "3B8F8001804F0CA000000306030001000000006A";
        try
        {
            Environment.SetEnvironmentVariable(ArmidAtr.EnvironmentVariable, "not hex;3B8F8001804F0CA0000003060300010000000000/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00");
            Assert.True(ArmidAtr.Matches(Hex.Parse(other)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ArmidAtr.EnvironmentVariable, null);
        }
    }

    [Theory]
    [InlineData("3b:dc 18-ff", new byte[] { 0x3B, 0xDC, 0x18, 0xFF })]
    [InlineData("", new byte[0])]
    public void Hex_Parses_With_Separators(string text, byte[] expected)
    {
        Assert.Equal(expected, Hex.Parse(text));
        Assert.Equal(Hex.Format(expected), Hex.Format(Hex.Parse(Hex.Format(expected))));
    }

    [Fact]
    public void Hex_Rejects_Odd_Or_Foreign_Text()
    {
        Assert.Throws<FormatException>(() => Hex.Parse("3B0"));
        Assert.Throws<FormatException>(() => Hex.Parse("3G"));
    }
}
