using System.Text.Json;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// TrainTestSplit's sizes and stratified class counts against scikit-learn 1.2 (the indices differ,
/// as the random generators differ), its determinism per seed, disjointness and coverage; then errors.
/// </summary>
public class TrainTestSplitTests
{
    public static TheoryData<string> CaseNames() => [.. SklearnFixture.Value.Split.Select(c => c.Name)];

    private static SplitSize? Size(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when e.TryGetInt32(out int count) && !e.GetRawText().Contains('.') => count,
        _ => e.GetDouble(),
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Sizes_AndStratifiedCounts_MatchScikitLearn(string name)
    {
        var c = SklearnFixture.Value.Split.Single(c => c.Name == name);
        var split = c.Stratify is null
            ? TrainTestSplit.Create(c.N, Size(c.TestSize), Size(c.TrainSize), randomState: 7)
            : TrainTestSplit.Stratified(c.Stratify, Size(c.TestSize), Size(c.TrainSize), randomState: 7);
        Assert.Equal(c.Train, split.Train.Count);
        Assert.Equal(c.Test, split.Test.Count);
        Assert.Empty(split.Train.Intersect(split.Test));
        Assert.All(split.Train.Concat(split.Test), i => Assert.InRange(i, 0, c.N - 1));
        Assert.Equal(c.Train + c.Test, split.Train.Concat(split.Test).Distinct().Count());
        if (c.Stratify is null) return;

        var classes = c.Stratify.Distinct().Order(StringComparer.Ordinal).ToArray();
        for (int seed = 0; seed < 20; seed++)
        {
            var s = TrainTestSplit.Stratified(c.Stratify, Size(c.TestSize), Size(c.TrainSize), randomState: (ulong)seed);
            var counts = new List<List<int>>
            {
                classes.Select(k => s.Train.Count(i => c.Stratify[i] == k)).ToList(),
                classes.Select(k => s.Test.Count(i => c.Stratify[i] == k)).ToList(),
            };
            Assert.Contains(c.PossibleCounts!, p => p[0].SequenceEqual(counts[0]) && p[1].SequenceEqual(counts[1]));
        }
    }

    [Fact]
    public void SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        var a = TrainTestSplit.Create(100, 0.3, randomState: 5);
        var b = TrainTestSplit.Create(100, 0.3, randomState: 5);
        var other = TrainTestSplit.Create(100, 0.3, randomState: 6);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, other.Test);
        Assert.NotEqual(Enumerable.Range(0, 30), a.Test.Order());
    }

    [Fact]
    public void WithoutShuffle_SplitsInOrder()
    {
        var split = TrainTestSplit.Create(10, testSize: 3, shuffle: false);
        Assert.Equal(Enumerable.Range(0, 7), split.Train);
        Assert.Equal(Enumerable.Range(7, 3), split.Test);
    }

    [Fact]
    public void Apply_CutsTensorsArraysAndMatrices_ByTheSameIndices()
    {
        var split = TrainTestSplit.Create(6, testSize: 2, randomState: 1);
        var x = Tensor.Arange(12, DType.Float64).Reshape(6, 2);
        var (xTrain, xTest) = split.Apply(x);
        Assert.Equal(new[] { 4, 2 }, xTrain.Shape);
        Assert.Equal(split.Test[1] * 2 + 1, xTest[1, 1]);
        var (names, testNames) = split.Apply(new[] { "a", "b", "c", "d", "e", "f" });
        Assert.Equal(split.Test.Select(i => "abcdef"[i].ToString()), testNames);
        var (m, _) = split.Apply(new double[6, 2] { { 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 } });
        Assert.Equal(split.Train[3], m[3, 1]);
        Assert.Equal(4, names.Length);
    }

    [Fact]
    public void Split_OfFeaturesAndStratifiedTargets_KeepsRowsTogether()
    {
        var y = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => i % 4).ToArray());
        var x = y.To(DType.Float32).Reshape(40, 1) * 10;
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.25, randomState: 3, stratify: true);
        Assert.Equal(10, xTest.Size(0));
        Assert.Equal(yTrain.ToDoubleArray().Select(v => v * 10), xTrain.ToDoubleArray());
        Assert.Equal(yTest.ToDoubleArray().Select(v => v * 10), xTest.ToDoubleArray());
        // 10 test samples over 4 classes of 10: 2.5 each, so two classes get 3 and two get 2.
        var perClass = Enumerable.Range(0, 4).Select(k => yTest.ToArray<int>().Count(v => v == k)).Order().ToArray();
        Assert.Equal(new[] { 2, 2, 3, 3 }, perClass);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    public void FractionOutsideTheOpenUnitInterval_IsNamed(double testSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Create(10, testSize));
        Assert.Contains("testSize", e.Message);
    }

    [Fact]
    public void SizeErrors_AreSpecific()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Create(10, testSize: 10));
        Assert.Contains("should be at most", Assert.Throws<ArgumentException>(() => TrainTestSplit.Create(10, testSize: 6, trainSize: 5)).Message);
        Assert.Contains("(0, 1)", Assert.Throws<ArgumentException>(() => TrainTestSplit.Create(10, testSize: 0.6, trainSize: 0.5)).Message);
        Assert.Contains("only 1 member", Assert.Throws<ArgumentException>(() => TrainTestSplit.Stratified(new[] { 0, 0, 1, 0 }, testSize: 2)).Message);
        Assert.Contains("number of classes", Assert.Throws<ArgumentException>(() => TrainTestSplit.Stratified(new[] { 0, 0, 1, 1, 2, 2 }, testSize: 2)).Message);
        var split = TrainTestSplit.Create(10);
        var e = Assert.Throws<ShapeMismatchException>(() => split.Apply(Tensor.Zeros(9, 2)));
        Assert.Contains("9 rows", e.Message);
        Assert.Contains("10 samples", e.Message);
    }
}
