using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// EmbeddingBag against PyTorch in Float64, from Fixtures/torch_embedding_bag.json, which
/// tools/fixtures/torch_embedding_bag.py wrote (outputs, weight gradients and per-sample-weight
/// gradients of every mode in both input forms, to 1e-10); then what the fixture does not show:
/// initialisation, accumulation into an existing gradient, Float32, gradient checks and bad input.
/// </summary>
public sealed class EmbeddingBagTests
{
    private static readonly Lazy<Fixture> s_fixture = new(() => FixtureFile.Load<Fixture>("torch_embedding_bag.json"));

    public static TheoryData<string> CaseNames() => new(s_fixture.Value.Cases.Select(c => c.Name));

    [Fact]
    public void Fixture_CoversEveryModeInBothFormsWithAndWithoutPadding()
    {
        var cases = s_fixture.Value.Cases;
        foreach (var mode in new[] { "sum", "mean", "max" })
        {
            var ofMode = cases.Where(c => c.Mode == mode).ToList();
            Assert.Contains(ofMode, c => c.Offsets is not null && c.PaddingIndex is null);
            Assert.Contains(ofMode, c => c.Offsets is not null && c.PaddingIndex is not null);
            Assert.Contains(ofMode, c => c.Offsets is null && c.PaddingIndex is null);
            Assert.Contains(ofMode, c => c.Offsets is null && c.PaddingIndex is not null);
        }
        Assert.Contains(cases, c => c.PerSampleWeights is not null && c.Offsets is null);
        Assert.Contains(cases, c => c.PerSampleWeights is not null && c.Offsets is not null);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradients_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var bag = new EmbeddingBag(c.Num, c.Dim, Enum.Parse<EmbeddingBagMode>(c.Mode, ignoreCase: true), c.PaddingIndex, dtype: DType.Float64);
        bag.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = ToTensor(c.Weight) });
        var weights = c.PerSampleWeights is null ? null : ToTensor(c.PerSampleWeights).RequiresGradient();

        var output = bag.Forward(Ids(c.Input), c.Offsets is null ? null : Ids(c.Offsets), weights);
        (output * ToTensor(c.GOutput)).Sum().Backward();

        c.Output.AssertClose($"{name}: output", output);
        c.GradWeight.AssertClose($"{name}: gradient of the weight", bag.Weight.Grad!);
        if (c.GradPerSampleWeights is not null) c.GradPerSampleWeights.AssertClose($"{name}: gradient of the per-sample weights", weights!.Grad!);
    }

    [Fact]
    public void Weights_AreAnEmbeddingsTable_StandardNormalWithAZeroPaddingRow()
    {
        var bag = new EmbeddingBag(40, 5, paddingIndex: -1, generator: new Generator(1), dtype: DType.Float64);
        var embedding = new Embedding(40, 5, paddingIndex: -1, generator: new Generator(1), dtype: DType.Float64);

        Assert.Equal((39, EmbeddingBagMode.Mean), (bag.PaddingIndex, bag.Mode));
        Assert.Equal(embedding.Weight.ToArray<double>(), bag.Weight.ToArray<double>());
        Assert.All(bag.Weight.ToArray<double>()[(39 * 5)..], v => Assert.Equal(0, v));
        Assert.Equal(["weight"], bag.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Gradient_AddsOntoAnExistingGradient_AndSkipsThePaddingRow()
    {
        var bag = new EmbeddingBag(4, 2, EmbeddingBagMode.Sum, paddingIndex: 0, generator: new Generator(2));
        var ids = Tensor.FromArray([3, 0, 3, 1, 0, 0], 2, 3);

        bag.Forward(ids).Sum().Backward();
        bag.Forward(ids).Sum().Backward();

        Assert.Equal([0f, 0, 2, 2, 0, 0, 4, 4], bag.Weight.Grad!.ToArray<float>());
    }

    [Theory]
    [InlineData(EmbeddingBagMode.Sum)]
    [InlineData(EmbeddingBagMode.Mean)]
    [InlineData(EmbeddingBagMode.Max)]
    public void NoBagsOrNoIds_GiveNoRowsOrZeros(EmbeddingBagMode mode)
    {
        var bag = new EmbeddingBag(5, 3, mode, generator: new Generator(8));

        var none = bag.Forward(Tensor.FromArray(Array.Empty<int>(), 0, 4));
        none.Sum().Backward();
        var empty = bag.Forward(Tensor.FromArray(Array.Empty<int>()), Tensor.FromArray([0, 0]));

        Assert.Equal([0, 3], none.Shape);
        Assert.All(bag.Weight.Grad!.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(new float[6], empty.ToArray<float>());
    }

    [Theory]
    [InlineData(EmbeddingBagMode.Sum)]
    [InlineData(EmbeddingBagMode.Mean)]
    [InlineData(EmbeddingBagMode.Max)]
    public void Float32_AgreesWithFloat64(EmbeddingBagMode mode)
    {
        var wide = new EmbeddingBag(30, 19, mode, paddingIndex: 2, generator: new Generator(3), dtype: DType.Float64);
        var narrow = new EmbeddingBag(30, 19, mode, paddingIndex: 2, dtype: DType.Float32);
        narrow.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = wide.Weight.To(DType.Float32) });
        var ids = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => i * 7 % 30).ToArray(), 5, 8);
        var g = Tensor.Randn([5, 19], new Generator(4), DType.Float64);

        var a = wide.Forward(ids);
        var b = narrow.Forward(ids);
        (a * g).Sum().Backward();
        (b * g.To(DType.Float32)).Sum().Backward();

        Assert.Equal(a.ToArray<double>(), b.To(DType.Float64).ToArray<double>(), (x, y) => Math.Abs(x - y) < 1e-5);
        Assert.Equal(wide.Weight.Grad!.ToArray<double>(), narrow.Weight.Grad!.To(DType.Float64).ToArray<double>(), (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Theory]
    [InlineData(EmbeddingBagMode.Sum)]
    [InlineData(EmbeddingBagMode.Mean)]
    [InlineData(EmbeddingBagMode.Max)]
    public void EveryMode_PassesGradCheck(EmbeddingBagMode mode)
    {
        // The padding id 1 is looked up but left out, so finite differences on its row see no change either.
        var bag = new EmbeddingBag(6, 3, mode, paddingIndex: 1, dtype: DType.Float64);
        var ids = Tensor.FromArray([2, 1, 5, 2, 1, 1, 0, 4, 3]);
        var offsets = Tensor.FromArray([0, 4, 6, 6]);

        GradCheck.Assert(t => Reduce(bag, t[0], ids, offsets, null), [Tensor.Randn([6, 3], new Generator(5), DType.Float64).RequiresGradient()]);
        if (mode == EmbeddingBagMode.Sum)
            GradCheck.Assert(t => Reduce(bag, t[0], ids, offsets, t[1]),
                [Tensor.Randn([6, 3], new Generator(6), DType.Float64).RequiresGradient(), Tensor.Randn([9], new Generator(7), DType.Float64).RequiresGradient()]);
    }

    /// <summary>The bag's op on a given table, so that GradCheck can vary the table.</summary>
    private static Tensor Reduce(EmbeddingBag bag, Tensor table, Tensor ids, Tensor offsets, Tensor? weights) =>
        EmbeddingBagReduction.Reduce(table, new EmbeddingBagReduction.Bags(ids.ToArray<int>(), [.. offsets.ToArray<int>(), ids.Length], bag.PaddingIndex), bag.Mode, weights);

    [Fact]
    public void GradientsOfGradients_AreRefusedByName()
    {
        var bag = new EmbeddingBag(5, 2, dtype: DType.Float64);
        var y = bag.Forward(Tensor.FromArray([1, 2, 3, 4], 2, 2)).Pow(2).Sum();

        var e = Assert.Throws<NotSupportedException>(() => Nabla.Autograd.Grad([y], [bag.Weight], createGraph: true));
        Assert.Contains("EmbeddingBag: gradients of gradients", e.Message);
    }

    [Fact]
    public void BadInput_IsRefusedWithTheIdItsPositionOrTheOffset()
    {
        var bag = new EmbeddingBag(10, 3);
        var sum = new EmbeddingBag(10, 3, EmbeddingBagMode.Sum);

        Assert.Contains("EmbeddingBag(10, 3): id 12 at position [1, 1] of the ids (shape [2, 3]) is outside [0, 10)",
            Assert.Throws<ArgumentOutOfRangeException>(() => bag.Forward(Tensor.FromArray([1, 2, 3, 4, 12, 5], 2, 3))).Message);
        Assert.Contains("id -1 at position [1]",
            Assert.Throws<ArgumentOutOfRangeException>(() => bag.Forward(Tensor.FromArray([0, -1]), Tensor.FromArray([0]))).Message);
        Assert.Contains("the ids must be an Int32 tensor, got Float32", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.Zeros(2, 2))).Message);
        Assert.Contains("need offsets", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2]))).Message);
        Assert.Contains("(N, L) ids take no offsets", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2], 1, 2), Tensor.FromArray([0]))).Message);
        Assert.Contains("the first offset must be 0", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2]), Tensor.FromArray([1]))).Message);
        Assert.Contains("offset 2 = 1 must be in [2, 3]", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2, 3]), Tensor.FromArray([0, 2, 1]))).Message);
        Assert.Contains("offset 1 = 4 must be in [0, 3]", Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2, 3]), Tensor.FromArray([0, 4]))).Message);
        Assert.Contains("per-sample weights need mode Sum",
            Assert.Throws<ArgumentException>(() => bag.Forward(Tensor.FromArray([1, 2], 1, 2), null, Tensor.Zeros(1, 2))).Message);
        Assert.Contains("the per-sample weights have shape [2], the ids [1, 2]",
            Assert.Throws<ShapeMismatchException>(() => sum.Forward(Tensor.FromArray([1, 2], 1, 2), null, Tensor.Zeros(2))).Message);
        Assert.Contains("the per-sample weights are Float64 but the table is Float32",
            Assert.Throws<ArgumentException>(() => sum.Forward(Tensor.FromArray([1, 2], 1, 2), null, Tensor.Zeros([1, 2], DType.Float64))).Message);
        Assert.Contains("the padding index must be in [-10, 10), got 10",
            Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingBag(10, 3, paddingIndex: 10)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingBag(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingBag(4, 3, (EmbeddingBagMode)9));
    }

    private static Tensor ToTensor(TensorData data) => Tensor.FromArray(data.Values, data.Shape);

    private static Tensor Ids(TensorData data) => Tensor.FromArray(data.Values.Select(v => (int)v).ToArray(), data.Shape);

    private sealed record Case(string Name, string Mode, int Num, int Dim, int? PaddingIndex, TensorData Input, TensorData? Offsets,
        TensorData? PerSampleWeights, TensorData Weight, TensorData Output, TensorData GOutput, TensorData GradWeight, TensorData? GradPerSampleWeights);

    private sealed record Fixture(List<Case> Cases);
}
