using System.Globalization;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The CSV number parser gives, bit for bit, what .NET's own parser gives, on its fast path and off it.</summary>
public sealed class DecimalTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+3")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-12.375")]
    [InlineData("0.1")]
    [InlineData("9007199254740992")]          // 2^53: still exact
    [InlineData("9007199254740993")]          // 2^53 + 1: rounds, so the slow path decides
    [InlineData("1234567890123456789")]       // 19 digits
    [InlineData("12345678901234567890")]      // 20 digits
    [InlineData("0.0000000000000000000001")]  // 22 digits after the point
    [InlineData("0.00000000000000000000001")] // 23
    [InlineData("1e5")]
    [InlineData("-2.5E-3")]
    [InlineData("Infinity")]
    public void Numbers_ParseAsDoubleParse(string text)
    {
        Assert.True(DecimalText.TryParse(text, out double value));

        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("-INF", double.NegativeInfinity)]
    public void NumPysInfinity_IsInfinity(string text, double expected)
    {
        Assert.True(DecimalText.TryParse(text, out double value));

        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("info")]
    [InlineData("-in")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("12a")]
    [InlineData("1,5")]
    public void NonNumbers_AreRefused(string text)
    {
        Assert.False(DecimalText.TryParse(text, out _));
    }

    [Fact]
    public void RandomDecimals_MatchDoubleParseBitForBit()
    {
        var random = new Random(7);
        for (int k = 0; k < 200_000; k++)
        {
            int places = random.Next(0, 18);
            double magnitude = Math.Pow(10, random.Next(-6, 12));
            string text = ((random.NextDouble() - 0.5) * magnitude).ToString("F" + places, CultureInfo.InvariantCulture);

            Assert.True(DecimalText.TryParse(text, out double value), text);
            Assert.True(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value), text);
        }
    }
}
