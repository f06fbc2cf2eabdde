using Nabla.Training;

namespace Nabla.Tests.Training;

public class DataLoaderTests
{
    /// <summary>Ten samples whose input row i is [i, 100 + i] and target i, so a batch shows which samples it holds.</summary>
    private static (Tensor X, Tensor Y) Numbered(int count = 10)
    {
        var x = new float[count * 2];
        var y = new int[count];
        for (int i = 0; i < count; i++) (x[2 * i], x[2 * i + 1], y[i]) = (i, 100 + i, i);
        return (Tensor.FromArray(x, count, 2), Tensor.FromArray(y));
    }

    private static List<int[]> Epoch(DataLoader loader)
    {
        var batches = new List<int[]>();
        foreach (var batch in loader)
        {
            var inputs = batch.Inputs.ToArray<float>();
            var targets = batch.Targets.ToArray<int>();
            for (int r = 0; r < batch.Count; r++)
            {
                Assert.Equal(targets[r], (int)inputs[2 * r]);
                Assert.Equal(100 + targets[r], (int)inputs[2 * r + 1]);
            }
            batches.Add(targets);
        }
        return batches;
    }

    [Fact]
    public void Batches_InOrder_WithAShortLastBatch()
    {
        var (x, y) = Numbered();
        var loader = new DataLoader(x, y, batchSize: 4);
        Assert.Equal(3, loader.BatchCount);
        var batches = Epoch(loader);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], batches);
    }

    [Fact]
    public void DropLast_LeavesOutTheShortBatch()
    {
        var (x, y) = Numbered();
        var loader = new DataLoader(x, y, batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.BatchCount);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7]], Epoch(loader));
    }

    [Fact]
    public void Shuffle_VisitsEverySampleOncePerEpoch_InANewOrder_RepeatableBySeed()
    {
        var (x, y) = Numbered(50);
        var loader = new DataLoader(x, y, batchSize: 8, shuffle: true, generator: new Generator(7));
        var first = Epoch(loader).SelectMany(b => b).ToArray();
        var second = Epoch(loader).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 50), first);

        var again = new DataLoader(x, y, batchSize: 8, shuffle: true, generator: new Generator(7));
        Assert.Equal(first, Epoch(again).SelectMany(b => b));
        Assert.Equal(second, Epoch(again).SelectMany(b => b));
    }

    [Fact]
    public void Buffers_AreReusedAcrossBatches_UnlessTurnedOff()
    {
        var (x, y) = Numbered(12);
        var loader = new DataLoader(x, y, batchSize: 4, shuffle: true);
        var inputs = loader.Select(b => b.Inputs).ToArray();
        Assert.All(inputs, t => Assert.Same(inputs[0], t));

        loader.ReuseBuffers = false;
        var fresh = loader.Select(b => b.Inputs).ToArray();
        Assert.Equal(3, fresh.Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void WholeSetInOrder_IsTheDataItself_BatchGradientDescent()
    {
        var (x, y) = Numbered();
        var batch = Assert.Single(new DataLoader(x, y, batchSize: 10));
        Assert.Same(x, batch.Inputs);
        Assert.Same(y, batch.Targets);
        Assert.Equal(10, Assert.Single(new DataLoader(x, y, batchSize: 64)).Count);
    }

    [Fact]
    public void BatchSizeOne_IsStochastic()
    {
        var (x, y) = Numbered(5);
        var loader = new DataLoader(x, y, batchSize: 1, shuffle: true);
        var batches = Epoch(loader);
        Assert.Equal(5, batches.Count);
        Assert.All(batches, b => Assert.Single(b));
    }

    [Fact]
    public void HigherRankInputs_AndFloatTargets_KeepTheirTrailingShape()
    {
        var x = Tensor.Arange(0, 24).Reshape(6, 2, 2);
        var y = Tensor.Arange(0, 12, 1, DType.Float64).Reshape(6, 2);
        var batch = new DataLoader(x, y, batchSize: 4).First();
        Assert.Equal([4, 2, 2], batch.Inputs.Shape);
        Assert.Equal([4, 2], batch.Targets.Shape);
        Assert.Equal(DType.Float64, batch.Targets.DType);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), batch.Inputs.ToArray<float>());
    }

    [Fact]
    public void BadInputs_GetSpecificMessages()
    {
        var (x, y) = Numbered();
        var mismatch = Assert.Throws<ShapeMismatchException>(() => new DataLoader(x, Tensor.Zeros(7), 4));
        Assert.Contains("[10, 2]", mismatch.Message);
        Assert.Contains("[7]", mismatch.Message);
        Assert.Contains("batch size must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(x, y, 0)).Message);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => new DataLoader(Tensor.Scalar(1), y)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new DataLoader(Tensor.Zeros(0, 2), Tensor.Zeros(0))).Message);
        Assert.Contains("batch size of 11 leaves no batch of the 10 samples", Assert.Throws<ArgumentException>(() => new DataLoader(x, y, 11, dropLast: true)).Message);
    }

    [Fact]
    public void Split_HoldsOutASeededDisjointShare()
    {
        var (x, y) = Numbered(20);
        var loader = new DataLoader(x, y, batchSize: 4, shuffle: true);
        var (train, validation) = loader.Split(0.25, seed: 3);
        Assert.Equal(15, train.Count);
        Assert.Equal(5, validation.Count);
        Assert.True(train.Shuffle);
        Assert.False(validation.Shuffle);
        var trainIds = Epoch(train).SelectMany(b => b).ToHashSet();
        var validIds = Epoch(validation).SelectMany(b => b).ToHashSet();
        Assert.Empty(trainIds.Intersect(validIds));
        Assert.Equal(20, trainIds.Count + validIds.Count);
        Assert.Equal(validIds, Epoch(loader.Split(0.25, seed: 3).Validation).SelectMany(b => b).ToHashSet());
        Assert.NotEqual(validIds, Epoch(loader.Split(0.25, seed: 4).Validation).SelectMany(b => b).ToHashSet());

        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentOutOfRangeException>(() => loader.Split(1.5)).Message);
        Assert.Contains("leaves no validation sample", Assert.Throws<ArgumentOutOfRangeException>(() => loader.Split(0.01)).Message);
    }
}
