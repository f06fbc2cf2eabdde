using Nabla.Losses;

namespace Nabla.Tests.Losses;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Every loss's analytic gradient against central finite differences (GradCheck), for every
/// reduction; second derivatives (GradGradCheck) for the losses whose Hessian is not zero, the fused
/// ones included; and the fused backward kernels against their tensor-op form on a batch large enough
/// to run in parallel.
/// </summary>
public class LossGradCheckTests
{
    private static readonly Reduction[] Reductions = [Reduction.Mean, Reduction.Sum, Reduction.None];

    private static Tensor Randn(ulong seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed), DType.Float64);

    private static Tensor Uniform(ulong seed, double low, double high, params int[] shape)
        => Tensor.Rand(shape, new Generator(seed), DType.Float64) * (high - low) + low;

    private static Tensor Labels(params int[] values) => Tensor.FromArray(values);

    /// <summary>The losses, each with an input (away from kinks) and a target, by name.</summary>
    public static TheoryData<string> Cases() => new(CaseTable.Keys);

    private static readonly Dictionary<string, Func<Reduction, (Loss Loss, Tensor Input, Tensor Target)>> CaseTable = new()
    {
        ["mse"] = r => (new MseLoss(r), Randn(1, 3, 4), Randn(2, 3, 4)),
        ["l1"] = r => (new L1Loss(r), Randn(3, 3, 4), Randn(4, 3, 4)),
        ["huber"] = r => (new HuberLoss(0.7, r), Randn(5, 3, 4) * 2.0, Randn(6, 3, 4)),
        ["bce"] = r => (new BceLoss(Uniform(7, 0.5, 2, 4), r), Uniform(8, 0.05, 0.95, 3, 4), Uniform(9, 0, 1, 3, 4)),
        ["bce_logits"] = r => (new BceWithLogitsLoss(Uniform(10, 0.5, 2, 4), Uniform(11, 0.5, 3, 4), r), Randn(12, 3, 4) * 3.0, Uniform(13, 0, 1, 3, 4)),
        ["cross_entropy"] = r => (new CrossEntropyLoss(Uniform(14, 0.5, 2, 4), ignoreIndex: 1, labelSmoothing: 0.2, reduction: r), Randn(15, 5, 4) * 2.0, Labels(0, 1, 3, 2, 3)),
        ["cross_entropy_spatial"] = r => (new CrossEntropyLoss(reduction: r), Randn(16, 2, 3, 2), Labels(0, 2, 1, 1).Reshape(2, 2)),
        ["cross_entropy_probabilities"] = r => (new CrossEntropyLoss(Uniform(17, 0.5, 2, 4), labelSmoothing: 0.1, reduction: r), Randn(18, 5, 4), Randn(19, 5, 4).Softmax(1)),
        ["nll"] = r => (new NllLoss(Uniform(20, 0.5, 2, 4), ignoreIndex: 2, reduction: r), Randn(21, 5, 4).LogSoftmax(1), Labels(0, 1, 2, 3, 3)),
        ["multi_margin"] = r => (new MultiMarginLoss(1, 1, Uniform(22, 0.5, 2, 4), r), Randn(23, 5, 4), Labels(0, 1, 2, 3, 1)),
        ["multi_margin_squared"] = r => (new MultiMarginLoss(2, 0.5, reduction: r), Randn(24, 5, 4), Labels(3, 1, 2, 0, 1)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_MatchesFiniteDifferences_ForEveryReduction(string name)
        => AssertForEveryReduction(name, (loss, input, target) => GradCheck.Check(t => loss.Forward(t[0], target), [input.RequiresGradient()]));

    [Theory]
    [InlineData("mse")]
    [InlineData("huber")]
    [InlineData("bce")]
    [InlineData("bce_logits")]
    [InlineData("cross_entropy")]
    [InlineData("cross_entropy_spatial")]
    [InlineData("cross_entropy_probabilities")]
    [InlineData("multi_margin_squared")]
    public void SecondDerivatives_MatchFiniteDifferences(string name)
        => AssertForEveryReduction(name, (loss, input, target) => GradGradCheck.Check(t => loss.Forward(t[0], target), [input.RequiresGradient()]));

    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    [InlineData("bce_logits")]
    [InlineData("cross_entropy_probabilities")]
    public void TargetGradient_MatchesFiniteDifferences(string name)
        => AssertForEveryReduction(name, (loss, input, target) => GradCheck.Check(t => loss.Forward(t[0], t[1]), [input.RequiresGradient(), target.RequiresGradient()]));

    /// <summary>Runs a check on the named case once per reduction and fails with its report.</summary>
    private static void AssertForEveryReduction(string name, Func<Loss, Tensor, Tensor, GradCheckReport> check)
    {
        foreach (var reduction in Reductions)
        {
            var (loss, input, target) = CaseTable[name](reduction);
            var report = check(loss, input, target);
            Assert.True(report.Passed, $"{name}, {reduction}: {report}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void FusedCrossEntropyBackward_EqualsItsTensorOpForm_OnALargeBatch(DType dtype)
    {
        const int rows = 2048, classes = 70;
        var generator = new Generator(30);
        var logits = (Tensor.Randn([rows, classes], generator, dtype) * 3.0).RequiresGradient();
        var labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = r % 7 == 0 ? -100 : (r * 31) % classes;
        var loss = new CrossEntropyLoss(Tensor.Rand([classes], generator, dtype) + 0.5, labelSmoothing: 0.1)
            .Forward(logits, Tensor.FromArray(labels));

        var recorded = Autograd.Grad(loss, logits, createGraph: true).Detach();
        var fused = Autograd.Grad(loss, logits);
        AssertClose(recorded, fused, dtype == DType.Float32 ? 1e-6 : 1e-13);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void FusedBceWithLogitsBackward_EqualsItsTensorOpForm(DType dtype)
    {
        var generator = new Generator(31);
        var logits = (Tensor.Randn([300, 7], generator, dtype) * 5.0).RequiresGradient();
        var target = Tensor.Rand([300, 7], generator, dtype);
        var loss = new BceWithLogitsLoss(Tensor.Rand([7], generator, dtype) + 0.5, Tensor.Rand([7], generator, dtype) * 3.0)
            .Forward(logits, target);

        var recorded = Autograd.Grad(loss, logits, createGraph: true).Detach();
        var fused = Autograd.Grad(loss, logits);
        AssertClose(recorded, fused, dtype == DType.Float32 ? 1e-6 : 1e-13);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var e = expected.ToDoubleArray();
        var a = actual.ToDoubleArray();
        Assert.Equal(e.Length, a.Length);
        double scale = e.Max(Math.Abs);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * scale, $"element {i}: tensor-op form {e[i]:R}, fused {a[i]:R}");
    }
}
