namespace Nabla.Tests.Ops;

/// <summary>ArgMax and ArgMin: axes, keepDims, ties, NaN, every dtype, and errors (values as torch.argmax gives them).</summary>
public sealed class ArgReductionTests
{
    private static readonly Tensor Scores = Tensor.FromArray([0.1f, 2f, 2f, -1f, 5f, 0f, 3f, 3f, 3f, -4f, 1f, 9f], 3, 4);

    [Fact]
    public void AlongAxes_FirstIndexOnTies()
    {
        // Rows [0.1, 2, 2, −1], [5, 0, 3, 3], [3, −4, 1, 9]: the tie 2, 2 gives 1 and 3, 3 gives 2.
        Assert.Equal([1, 0, 3], Scores.ArgMax(axis: 1).ToArray<int>());
        Assert.Equal([3, 1, 1], Scores.ArgMin(axis: 1).ToArray<int>());
        Assert.Equal([1, 0, 1, 2], Scores.ArgMax(axis: 0).ToArray<int>());
        Assert.Equal([0, 2, 2, 0], Scores.ArgMin(axis: -2).ToArray<int>());
        Assert.Equal(DType.Int32, Scores.ArgMax(1).DType);
    }

    [Fact]
    public void Overall_IsAnIndexIntoTheFlattenedTensor()
    {
        var all = Scores.ArgMax();
        Assert.Equal(0, all.Rank);
        Assert.Equal(11, all.ToArray<int>()[0]);
        Assert.Equal(9, Scores.ArgMin().ToArray<int>()[0]);
        Assert.Equal([1, 1], Scores.ArgMax(keepDims: true).Shape);
    }

    [Fact]
    public void KeepDims_And_HigherRanks()
    {
        var x = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        var m = x.ArgMax(axis: 1, keepDims: true);
        Assert.Equal([2, 1, 4], m.Shape);
        Assert.All(m.ToArray<int>(), v => Assert.Equal(2, v));
        Assert.Equal([2, 3], x.ArgMin(axis: 2).Shape);
        Assert.Equal([1, 0], Tensor.FromArray([1, 7, 7, 2], 2, 2).ArgMax(1).ToArray<int>());
        Assert.Equal([0], Tensor.Zeros([0, 3]).ArgMax(axis: 1).Shape);
    }

    [Fact]
    public void NaN_IsTheMaximumAndTheMinimum()
    {
        var x = Tensor.FromArray([1.0, double.NaN, 5.0, double.NaN], [4]);
        Assert.Equal(1, x.ArgMax().ToArray<int>()[0]);   // torch.argmax: 1
        Assert.Equal(1, x.ArgMin().ToArray<int>()[0]);   // torch.argmin: 1
    }

    [Fact]
    public void Errors_NameTheProblem()
    {
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => Tensor.Zeros([0, 3]).ArgMax()).Message);
        Assert.Contains("axis 0 of the tensor of shape [0, 3] is empty", Assert.Throws<ArgumentException>(() => Tensor.Zeros([0, 3]).ArgMax(axis: 0)).Message);
        Assert.ThrowsAny<ArgumentException>(() => Scores.ArgMax(axis: 2));
    }
}
