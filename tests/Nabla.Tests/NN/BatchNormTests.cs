using Nabla.NN;
using static Nabla.Tests.NN.NormalizationCases;

namespace Nabla.Tests.NN;

/// <summary>BatchNorm1d and BatchNorm2d beyond the PyTorch fixture: gradient checks, second derivatives, modes, buffers, thread counts and bad input.</summary>
[Collection("Parallelism")]
public sealed class BatchNormTests
{
    [Fact]
    public void FusedOp_PassesGradCheck_ForInputWeightAndBias()
    {
        var x = Random([3, 2, 4], 1, 1.5, 0.5).RequiresGradient();
        var w = Random([2], 2, 0.5, 1).RequiresGradient();
        var b = Random([2], 3).RequiresGradient();

        GradCheck.Assert(t => Tensor.BatchNorm(t[0], t[1], t[2], 1e-5, out _), [x, w, b]);
        GradCheck.Assert(t => Tensor.BatchNorm(t[0], null, null, 1e-5, out _), [x]);
    }

    [Fact]
    public void Modules_PassGradCheck_InTrainingAndEvaluation()
    {
        var bn1 = new BatchNorm1d(3, dtype: DType.Float64);
        var bn2 = new BatchNorm2d(2, dtype: DType.Float64);
        Init.Normal(bn1.Weight!, 1, 0.3, new Generator(4));
        Init.Normal(bn2.Weight!, 1, 0.3, new Generator(5));
        var x1 = Random([4, 3], 6).RequiresGradient();
        var x2 = Random([2, 2, 3, 2], 7).RequiresGradient();

        GradCheck.Assert(t => bn1.Forward(t[0]), [x1]);
        GradCheck.Assert(t => bn2.Forward(t[0]), [x2]);
        bn1.Eval();
        bn2.Eval();
        GradCheck.Assert(t => bn1.Forward(t[0]), [x1]);
        GradCheck.Assert(t => bn2.Forward(t[0]), [x2]);
    }

    [Fact]
    public void SecondDerivatives_PassGradGradCheck()
    {
        var x = Random([3, 2, 2], 8, 1.5).RequiresGradient();
        var w = Random([2], 9, 0.5, 1).RequiresGradient();
        var b = Random([2], 10).RequiresGradient();

        GradGradCheck.Assert(t => Tensor.BatchNorm(t[0], t[1], t[2], 1e-5, out _), [x, w, b]);
    }

    [Fact]
    public void FusedBackward_EqualsTheTensorOpFormula()
    {
        Tensor[] inputs = [Random([5, 3, 7], 11, 3, 1).RequiresGradient(), Random([3], 12).RequiresGradient(), Random([3], 13).RequiresGradient()];
        NormalizationCases.AssertFusedBackwardEqualsComposed(t => Tensor.BatchNorm(t[0], t[1], t[2], 1e-5, out _), inputs, 14);
    }

    [Fact]
    public void LargeInput_GivesTheSameBitsAtAnyThreadCount()
    {
        // 32 × 16 × 400 elements: above the parallel threshold, so channels run on several threads.
        var x = Random([32, 16, 400], 15).RequiresGradient();
        var w = Random([16], 16, 0.5, 1).RequiresGradient();
        var b = Random([16], 17).RequiresGradient();
        var g = Random([32, 16, 400], 18);
        double[][] Run()
        {
            var y = Tensor.BatchNorm(x, w, b, 1e-5, out var stats);
            var grads = Nabla.Autograd.Grad([y], [x, w, b], [g]);
            return [y.ToArray<double>(), stats.ToArray<double>(), .. grads.Select(t => t!.ToArray<double>())];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var many = ParallelismCollection.AtThreads(4, Run);

        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], many[i]);
    }

    [Fact]
    public void Training_NormalisesEachChannel_AndUpdatesTheBuffers()
    {
        var layer = new BatchNorm2d(3, momentum: 0.5);
        var x = Random([4, 3, 2, 2], 19, 2, 5).To(DType.Float32);

        var y = layer.Forward(x).To(DType.Float64);

        var perChannel = y.Permute(1, 0, 2, 3).Reshape(3, -1);
        Assert.All(perChannel.Mean(1).ToArray<double>(), m => Assert.Equal(0, m, 1e-5));
        Assert.All(perChannel.Var(1, correction: 0).ToArray<double>(), v => Assert.Equal(1, v, 1e-3));
        Assert.Equal(1, layer.NumBatchesTracked!.Item());
        var batchMean = x.To(DType.Float64).Permute(1, 0, 2, 3).Reshape(3, -1).Mean(1).ToArray<double>();
        var running = layer.RunningMean!.ToDoubleArray();
        for (int c = 0; c < 3; c++) Assert.Equal(0.5 * batchMean[c], running[c], 1e-5);
    }

    [Fact]
    public void Evaluation_UsesRunningStatistics_AndLeavesThemAlone()
    {
        var layer = new BatchNorm1d(2, dtype: DType.Float64);
        layer.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["running_mean"] = Tensor.FromArray([1.0, -2]),
            ["running_var"] = Tensor.FromArray([4.0, 0.25]),
        }, strict: false);
        layer.Eval();

        var y = layer.Forward(Tensor.FromArray([3.0, -2, 1, -1.5], 2, 2));

        double s0 = Math.Sqrt(4 + 1e-5), s1 = Math.Sqrt(0.25 + 1e-5);
        Assert.Equal([2 / s0, 0, 0, 0.5 / s1], y.ToArray<double>(), new ToleranceComparer(1e-12));
        Assert.Equal([1.0, -2], layer.RunningMean!.ToArray<double>());
        Assert.Equal(0, layer.NumBatchesTracked!.Item());
    }

    [Fact]
    public void Buffers_AreNamedAsPyTorch_AndOptional()
    {
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], new BatchNorm2d(4).StateDict().Keys);
        Assert.Equal(DType.Int32, new BatchNorm1d(4).NumBatchesTracked!.DType);
        Assert.Empty(new BatchNorm1d(4, affine: false, trackRunningStats: false).StateDict());
    }

    [Fact]
    public void BadInput_GetsClearErrors()
    {
        var bn1 = new BatchNorm1d(3);
        var bn2 = new BatchNorm2d(3);

        Assert.Contains("Expected more than 1 value per channel when training, got input of shape [1, 3]",
            Assert.Throws<ArgumentException>(() => bn1.Forward(Tensor.Zeros(1, 3))).Message);
        Assert.Contains("[1, 3, 1, 1]", Assert.Throws<ArgumentException>(() => bn2.Forward(Tensor.Zeros(1, 3, 1, 1))).Message);
        bn1.Eval();
        Assert.Equal([1, 3], bn1.Forward(Tensor.Zeros(1, 3)).Shape);
        Assert.Contains("BatchNorm1d(3): input of shape [4, 5] has 5 channels (axis 1), expected 3",
            Assert.Throws<ShapeMismatchException>(() => bn1.Forward(Tensor.Zeros(4, 5))).Message);
        Assert.Contains("expected an input of shape (N, C) or (N, C, L), got [2, 3, 4, 5]",
            Assert.Throws<ShapeMismatchException>(() => bn1.Forward(Tensor.Zeros(2, 3, 4, 5))).Message);
        Assert.Contains("BatchNorm2d(3): expected an input of shape (N, C, H, W), got [2, 3]",
            Assert.Throws<ShapeMismatchException>(() => bn2.Forward(Tensor.Zeros(2, 3))).Message);
        Assert.Contains("momentum must be in [0, 1] (or null for a cumulative average), got 1.5",
            Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(3, momentum: 1.5)).Message);
        Assert.Contains("eps must be positive and finite, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(3, eps: 0)).Message);
        Assert.Contains("the number of features must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(0)).Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
