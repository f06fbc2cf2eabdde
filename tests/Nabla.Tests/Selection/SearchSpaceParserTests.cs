using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>The <c>--space</c> syntax: what it reads, that it writes back what it read, and every error it names.</summary>
public class SearchSpaceParserTests
{
    [Fact]
    public void Parse_ReadsEveryKindOfValue()
    {
        var space = SearchSpace.Parse("lr=1e-4..1e-1:log, hidden=[64;128,64], dropout=0..0.5, activation={relu;tanh}, layers=1..4:int, width=16..256:int:log, epochs=20");

        Assert.Equal(["lr", "hidden", "dropout", "activation", "layers", "width", "epochs"], space.Parameters.Select(p => p.Key));
        var lr = Assert.IsType<RangeDistribution>(space["lr"]);
        Assert.Equal((1e-4, 1e-1, true, false), (lr.Low, lr.High, lr.IsLog, lr.IsInteger));
        var hidden = Assert.IsType<ChoiceDistribution>(space["hidden"]);
        Assert.Equal([64], (int[])hidden[0]);
        Assert.Equal([128, 64], (int[])hidden[1]);
        var dropout = Assert.IsType<RangeDistribution>(space["dropout"]);
        Assert.Equal((0.0, 0.5, false, false), (dropout.Low, dropout.High, dropout.IsLog, dropout.IsInteger));
        var activation = Assert.IsType<ChoiceDistribution>(space["activation"]);
        Assert.Equal(["relu", "tanh"], Enumerable.Range(0, activation.Count).Select(i => activation[i]));
        var layers = Assert.IsType<RangeDistribution>(space["layers"]);
        Assert.Equal((1.0, 4.0, false, true), (layers.Low, layers.High, layers.IsLog, layers.IsInteger));
        var width = Assert.IsType<RangeDistribution>(space["width"]);
        Assert.True(width.IsLog && width.IsInteger);
        var epochs = Assert.IsType<ChoiceDistribution>(space["epochs"]);
        Assert.Equal(20, epochs[0]);
    }

    [Fact]
    public void ToString_WritesWhatParseReadsBack()
    {
        const string text = "lr=0.0001..0.1:log,hidden=[64;128,64],dropout=0..0.5,activation={relu;tanh},layers=1..4:int,c={0.5;1;2}";
        var space = SearchSpace.Parse(text);
        Assert.Equal(text, space.ToString());
        Assert.Equal(text, SearchSpace.Parse(space.ToString()).ToString());
    }

    [Fact]
    public void TheBuilderAndTheParserGiveTheSameSpace()
    {
        var built = new SearchSpace()
            .Add("lr", ParameterDistribution.LogUniform(1e-4, 1e-1))
            .Add("hidden", ParameterDistribution.Choice(new[] { 64 }, new[] { 128, 64 }))
            .Add("activation", ParameterDistribution.Choice("relu", "tanh"));
        Assert.Equal(SearchSpace.Parse("lr=1e-4..1e-1:log,hidden=[64;128,64],activation={relu;tanh}").ToString(), built.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("lr", "\"lr\": expected name=value")]
    [InlineData("lr=", "\"lr=\": the value is missing")]
    [InlineData("=1..2", "\"\" is not a parameter name")]
    [InlineData("1lr=1..2", "\"1lr\" is not a parameter name")]
    [InlineData("lr=0.1..0.01", "\"lr=0.1..0.01\": the range 0.1..0.01 is empty")]
    [InlineData("lr=1..1", "the range 1..1 is empty")]
    [InlineData("lr=0..0.1:log", "\"lr=0..0.1:log\": the log range 0..0.1 must start above 0")]
    [InlineData("lr=-1..1:log", "the log range -1..1 must start above 0")]
    [InlineData("lr=1..2,lr=3..4", "\"lr=3..4\": the parameter \"lr\" is named twice")]
    [InlineData("lr=1..2:cubic", "unknown range flag \":cubic\"")]
    [InlineData("lr=1..2:log:log", "the flag \":log\" is written twice")]
    [InlineData("n=1.5..4:int", "an :int range needs whole-number ends, got 1.5..4")]
    [InlineData("lr=abc..2", "\"abc\" is not a number")]
    [InlineData("lr=1..", "a number is missing")]
    [InlineData("a={relu;}", "a choice is empty")]
    [InlineData("a={relu;relu}", "lists the value \"relu\" twice")]
    [InlineData("h=[64;x]", "\"x\" is not a number")]
    [InlineData("h=[64;128", "leaves a '[' unclosed")]
    [InlineData("h=64;128]", "a ']' at position 9 that closes nothing")]
    [InlineData("h=[64;{1}]", "nests '{'")]
    [InlineData("h=[64]x", "text follows the closing ']'")]
    [InlineData("a=1..2,,b=3..4", "an empty entry")]
    [InlineData("a=x:y", "\"x:y\" is neither a number nor a word")]
    public void Parse_NamesTheBadPart(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SearchSpace.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TheBuilderRefusesWhatTheParserRefuses()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ParameterDistribution.Uniform(1, 0)).Message);
        Assert.Contains("must start above 0", Assert.Throws<ArgumentException>(() => ParameterDistribution.LogUniform(0, 1)).Message);
        Assert.Contains("already has a parameter named \"x\"",
            Assert.Throws<ArgumentException>(() => new SearchSpace().Add("x", ParameterDistribution.Uniform(0, 1)).Add("x", ParameterDistribution.Uniform(0, 1))).Message);
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => ParameterDistribution.Choice(1, new[] { 2 })).Message);
    }
}
