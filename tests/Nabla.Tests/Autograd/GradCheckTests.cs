namespace Nabla.Tests.Autograd;

/// <summary>
/// GradCheck and GradGradCheck: they pass correct gradients, and catch wrong ones (a derivative cut by
/// Detach, or a custom op with a deliberately wrong backward rule) naming the worst element.
/// </summary>
public class GradCheckTests
{
    private static Tensor Leaf(double[] values, params int[] shape) => Tensor.FromArray(values, shape).RequiresGradient();

    /// <summary>
    /// An op recorded in the graph with its own backward rule, as the library's ops are, so that a wrong
    /// rule can be written on purpose.
    /// </summary>
    private static Tensor CustomOp(Tensor x, Func<Tensor, Tensor> forward, BackwardFunction backward)
    {
        Tensor y;
        using (Nabla.Autograd.NoGrad()) y = forward(x);
        return Graph.Record("Custom", [x], y, backward);
    }

    [Fact]
    public void Check_CorrectGradients_Passes()
    {
        var x = Tensor.Randn([3, 4], new Generator(1), DType.Float64).RequiresGradient();
        var w = Tensor.Randn([4, 2], new Generator(2), DType.Float64).RequiresGradient();

        var report = GradCheck.Check(t => (t[0].MatMul(t[1]).Tanh() * t[0].Sum(axis: 1, keepDims: true)).Exp(), [x, w]);

        Assert.True(report.Passed, report.Message);
        Assert.Empty(report.Failures);
        Assert.Null(report.Worst);
        Assert.Equal(3 * 2 * (12 + 8), report.CheckedElements);
        Assert.True(report.MaxAbsoluteError < 1e-6, report.Message);
        Assert.StartsWith("GradCheck passed", report.ToString());
        Assert.Null(x.Grad); // the check never accumulates into the inputs' gradients
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Check_DerivativeCutByDetach_FailsAndNamesWorstElement()
    {
        // f(x) = x.Detach()·x: the true derivative is 2x, but backward sees only x.
        var x = Leaf([0.5, -3, 1, 2], 2, 2);

        var report = GradCheck.Check(t => t[0].Detach() * t[0], [x]);

        Assert.False(report.Passed);
        var worst = Assert.Single(report.Failures);
        Assert.Same(worst, report.Worst);
        Assert.Equal(GradCheckFailureKind.JacobianMismatch, worst.Kind);
        Assert.Equal(0, worst.InputIndex);
        Assert.Equal(0, worst.OutputIndex);
        Assert.Equal(1, worst.FlatIndex);
        Assert.Equal([0, 1], worst.Index);
        Assert.Equal([0, 1], worst.OutputElement);
        Assert.Equal(-3, worst.Analytic, 9);
        Assert.Equal(-6, worst.Expected, 6);
        Assert.Equal(4, worst.MismatchCount); // the four diagonal elements; off the diagonal both are 0
        Assert.Contains("Jacobian mismatch for output 0 with respect to input 0", worst.Message);
        Assert.Contains("input 0[0, 1]", worst.Message);
        Assert.Contains("analytic -3", worst.Message);
        Assert.Contains("numeric -6", worst.Message);
        Assert.Contains(worst.Message, report.Message);
    }

    [Fact]
    public void Assert_WrongGradient_ThrowsWithTheReportMessage()
    {
        var x = Leaf([0.5, -3, 1, 2], 2, 2);

        var error = Assert.Throws<InvalidOperationException>(() => GradCheck.Assert(t => t[0].Detach() * t[0], [x]));

        Assert.StartsWith("GradCheck failed with 1 problem", error.Message);
        Assert.Contains("input 0[0, 1]", error.Message);
        Assert.Contains("eps 1E-06, atol 1E-05, rtol 0.001", error.Message);
    }

    [Fact]
    public void Assert_CorrectGradient_DoesNotThrow()
    {
        var x = Leaf([0.5, -3, 1, 2], 2, 2);
        GradCheck.Assert(t => t[0] * t[0], [x]);
    }

    [Fact]
    public void Check_OnlySecondInputWrong_NamesThatInput()
    {
        var a = Leaf([1, 2, 3]);
        var b = Leaf([0.5, -1, 2]);

        var report = GradCheck.Check(t => t[0] * t[1].Detach() * t[1], [a, b]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(1, failure.InputIndex);
        Assert.Equal("input 1", failure.InputName);
        Assert.Equal([2], failure.Index); // |d/db| = 2·a·b is largest at index 2 (true 12, analytic 6)
        Assert.Equal(6, failure.Analytic, 9);
        Assert.Equal(12, failure.Expected, 5);
    }

    [Fact]
    public void Check_CustomOpWithWrongFactor_IsCaught()
    {
        // y = 3x with a backward rule that says 2.
        var x = Leaf([1, -2, 0.25]);

        var report = GradCheck.Check(t => CustomOp(t[0], v => v * 3.0, static (g, _) => [g * 2.0]), [x]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(GradCheckFailureKind.JacobianMismatch, failure.Kind);
        Assert.Equal(3, failure.MismatchCount);
        Assert.Equal(2, failure.Analytic, 12);
        Assert.Equal(3, failure.Expected, 6);
    }

    [Fact]
    public void Check_GradientOfWrongShape_IsReported()
    {
        var x = Leaf([1, 2, 3, 4], 2, 2);

        var report = GradCheck.Check(t => CustomOp(t[0], v => v * 2.0, static (g, _) => [(g * 2.0).Reshape(4)]), [x]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(GradCheckFailureKind.GradientShape, failure.Kind);
        Assert.Contains("shape [4]", failure.Message);
        Assert.Contains("input has shape [2, 2]", failure.Message);
    }

    [Fact]
    public void Check_GradientOfWrongType_IsReported()
    {
        var x = Leaf([1, 2, 3]);

        var report = GradCheck.Check(t => CustomOp(t[0], v => v * 2.0, static (g, _) => [(g * 2.0).To(DType.Float32)]), [x]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(GradCheckFailureKind.GradientDType, failure.Kind);
        Assert.Contains("Float32 gradient", failure.Message);
    }

    [Fact]
    public void Check_BackwardIgnoringUpstreamZero_IsReported()
    {
        // Right for every one-hot upstream gradient, but a zero upstream gradient gives 0.5, not 0.
        var x = Leaf([1, 2, 3]);
        BackwardFunction rule = static (g, _) => [g * 2.0 + (g.Abs().Sum().Item() == 0 ? 0.5 : 0.0)];

        var report = GradCheck.Check(t => CustomOp(t[0], v => v * 2.0, rule), [x]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(GradCheckFailureKind.NonZeroForZeroGradOutput, failure.Kind);
        Assert.Equal(3, failure.MismatchCount);
        Assert.Equal(0.5, failure.Analytic);
        Assert.Equal(0, failure.Expected);
        Assert.Contains("zero upstream gradient gave input 0 a non-zero gradient", failure.Message);
    }

    [Fact]
    public void Check_BackwardThatChangesBetweenRuns_IsReportedNotRepeatable()
    {
        // The value is 2x on every call, but the second call's graph carries a slightly different slope.
        var x = Leaf([1, 2]);
        int calls = 0;
        Tensor F(Tensor[] t)
        {
            double s = ++calls == 2 ? 2 + 1e-9 : 2;
            return t[0] * s + t[0].Detach() * (2 - s);
        }

        var report = GradCheck.Check(F, [x]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(GradCheckFailureKind.NotRepeatable, failure.Kind);
        Assert.Equal(2, failure.MismatchCount);
        Assert.Equal(2, failure.Expected);
        Assert.Equal(2 + 1e-9, failure.Analytic);
        Assert.Contains("not repeatable", failure.Message);
    }

    [Fact]
    public void Check_SeveralOutputs_NamesTheWrongOne()
    {
        var x = Leaf([0.3, -0.7, 1.1]);

        var passing = GradCheck.Check(t => [t[0].Exp(), t[0].Sin().Sum()], [x]);
        var failing = GradCheck.Check(t => [t[0].Exp(), t[0].Detach().Sin() * t[0]], [x]);

        Assert.True(passing.Passed, passing.Message);
        Assert.Equal(3 * 3 + 1 * 3, passing.CheckedElements);
        var failure = Assert.Single(failing.Failures);
        Assert.Equal(1, failure.OutputIndex);
        Assert.Contains("Jacobian mismatch for output 1", failure.Message);
    }

    [Fact]
    public void Check_SameTensorInTwoSlots_ChecksEachSlotSeparately()
    {
        var x = Leaf([0.5, 2]);
        Assert.True(GradCheck.Check(t => t[0] * t[1].Exp(), [x, x]).Passed);
    }

    [Fact]
    public void Check_ConstantAndIndexInputs_PassThroughUnchecked()
    {
        var x = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var scale = Tensor.FromArray(new double[] { 2, 3 }, 2, 1);
        var index = Tensor.FromArray(new[] { 2, 0, 1, 1 }, 2, 2);

        var report = GradCheck.Check(t => t[0].Gather(1, t[2]) * t[1], [x, scale, index]);

        Assert.True(report.Passed, report.Message);
        Assert.Equal(4 * 6, report.CheckedElements); // only x is checked
    }

    [Fact]
    public void Check_UnusedInput_HasZeroJacobianAndPasses()
    {
        var a = Leaf([1, 2]);
        var b = Leaf([3]);
        Assert.True(GradCheck.Check(t => t[0] * 2.0, [a, b]).Passed);
    }

    [Fact]
    public void Check_Float32Input_IsRejected()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }).RequiresGradient();

        var error = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * t[0], [x]));

        Assert.Contains("input 0", error.Message);
        Assert.Contains("Float32", error.Message);
        Assert.Contains("Float64", error.Message);
    }

    [Fact]
    public void Check_Float32ConstantInput_IsRejectedToo()
    {
        var x = Leaf([1, 2]);
        var c = Tensor.FromArray(new[] { 1f, 2f });
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * t[1].To(DType.Float64), [x, c]));
        Assert.Contains("input 1", error.Message);
    }

    [Fact]
    public void Check_Float32Output_IsRejected()
    {
        var x = Leaf([1, 2]);
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0].To(DType.Float32), [x]));
        Assert.Contains("output 0", error.Message);
        Assert.Contains("Float32", error.Message);
    }

    [Fact]
    public void Check_NoInputRequiresGrad_IsRejected()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 });
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * 2.0, [x]));
        Assert.Contains("no input requires gradients", error.Message);
    }

    [Fact]
    public void Check_InsideNoGrad_IsRejected()
    {
        var x = Leaf([1, 2]);
        using var scope = Nabla.Autograd.NoGrad();
        var error = Assert.Throws<InvalidOperationException>(() => GradCheck.Check(t => t[0] * 2.0, [x]));
        Assert.Contains("NoGrad", error.Message);
    }

    [Theory]
    [InlineData(0, 1e-5, 1e-3)]
    [InlineData(double.NaN, 1e-5, 1e-3)]
    [InlineData(1e-6, -1, 1e-3)]
    [InlineData(1e-6, 1e-5, double.NaN)]
    public void Check_BadSettings_AreRejected(double eps, double atol, double rtol)
    {
        var x = Leaf([1, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Check(t => t[0] * 2.0, [x], eps, atol, rtol));
    }

    [Fact]
    public void Check_LooserTolerance_AcceptsWhatDefaultRejects()
    {
        // Central differences of eˣ with a large step are off by about eps²/6 relative.
        var x = Leaf([1.0]);
        Assert.False(GradCheck.Check(t => t[0].Exp(), [x], eps: 0.1, atol: 0, rtol: 1e-4).Passed);
        Assert.True(GradCheck.Check(t => t[0].Exp(), [x], eps: 0.1, atol: 0, rtol: 1e-2).Passed);
    }

    [Fact]
    public void GradGradCheck_SmoothFunction_Passes()
    {
        var x = Tensor.Randn([2, 3], new Generator(5), DType.Float64).RequiresGradient();
        var w = Tensor.Randn([3], new Generator(6), DType.Float64).RequiresGradient();

        var report = GradGradCheck.Check(t => (t[0] * t[1]).Tanh().Sum(axis: 0) * t[1].Sigmoid(), [x, w]);

        Assert.True(report.Passed, report.Message);
        Assert.StartsWith("GradGradCheck passed", report.Message);
    }

    [Fact]
    public void GradGradCheck_FirstDerivativeRightButNotDifferentiable_IsCaught()
    {
        // y = x² with backward 2·x.Detach()·g: right to first order, but its own derivative in x is lost.
        var x = Leaf([0.5, -1.5, 2]);
        Tensor F(Tensor[] t) => CustomOp(t[0], v => v * v, static (g, n) => [g * n.Inputs[0].Detach() * 2.0]);

        Assert.True(GradCheck.Check(F, [x]).Passed);
        var report = GradGradCheck.Check(F, [x]);

        Assert.False(report.Passed);
        var worst = report.Worst!;
        Assert.Equal(GradCheckFailureKind.JacobianMismatch, worst.Kind);
        Assert.Equal(0, worst.InputIndex);
        Assert.Equal("the gradient of input 0", worst.OutputName);
        Assert.Equal(0, worst.Analytic);
        Assert.Contains("Jacobian mismatch for the gradient of input 0 with respect to input 0", report.Message);
    }

    [Fact]
    public void GradGradCheck_Float32Input_IsRejected()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }).RequiresGradient();
        var error = Assert.Throws<ArgumentException>(() => GradGradCheck.Check(t => t[0] * t[0], [x]));
        Assert.Contains("GradGradCheck", error.Message);
        Assert.Contains("Float64", error.Message);
    }

    [Fact]
    public void GradGradCheck_Assert_ThrowsOnFailure()
    {
        var x = Leaf([0.5, -1.5]);
        Assert.Throws<InvalidOperationException>(() =>
            GradGradCheck.Assert(t => CustomOp(t[0], v => v * v, static (g, n) => [g * n.Inputs[0].Detach() * 2.0]), [x]));
    }
}
