using System.Runtime.CompilerServices;

namespace Nabla.Tests.Autograd;

using Autograd = global::Nabla.Autograd;

/// <summary>The reverse-mode walk: accumulation, graph lifetime, NoGrad, Detach, Autograd.Grad, higher order.</summary>
public class BackwardEngineTests
{
    private static Tensor Vector(params double[] values) => Tensor.FromArray(values);

    private static Tensor Leaf(params double[] values) => Tensor.FromArray(values).RequiresGradient();

    private static void AssertValues(double[] expected, Tensor? actual, double tolerance = 1e-12)
    {
        Assert.NotNull(actual);
        var values = actual.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {values[i]:R}");
    }

    [Fact]
    public void Backward_OfAScalar_FillsGradOfEveryLeafThatRequiresIt()
    {
        var x = Leaf(1, 2, 3);
        var c = Vector(4, 5, 6);
        (x * c).Sum().Backward();
        AssertValues([4, 5, 6], x.Grad);
        Assert.Null(c.Grad);
    }

    [Fact]
    public void Backward_Twice_AccumulatesIntoGrad()
    {
        var x = Leaf(1, -2);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        AssertValues([2, -4], x.Grad);
        y.Backward();
        AssertValues([4, -8], x.Grad);

        // A fresh graph adds to the same Grad until it is cleared.
        (x * 3.0).Sum().Backward();
        AssertValues([7, -5], x.Grad);
        x.Grad = null;
        (x * 3.0).Sum().Backward();
        AssertValues([3, 3], x.Grad);
    }

    [Fact]
    public void Backward_PassThroughGradient_IsCopiedIntoGrad_NotAliased()
    {
        // Add passes its gradient straight through: the leaf must get its own copy, or accumulating
        // into it would change the caller's gradOutput.
        var x = Leaf(1, 2);
        var y = x + 1.0;
        var g = Vector(0.5, -1);
        y.Backward(g, retainGraph: true);
        Assert.NotSame(g, x.Grad);
        y.Backward(g);
        AssertValues([1, -2], x.Grad);
        AssertValues([0.5, -1], g);
    }

    [Fact]
    public void Backward_ASecondTimeWithoutRetainGraph_ThrowsAndSaysWhatToDo()
    {
        var x = Leaf(2);
        var y = (x.Exp() * x).Sum();
        y.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("retainGraph", e.Message);
        Assert.True(Autograd.IsGradEnabled, "a failed backward pass must restore grad mode");
    }

    [Fact]
    public void Backward_WithRetainGraph_CanRunAgain_WithTheSameResult()
    {
        var x = Leaf(0.3, -0.7);
        var y = (x.Tanh() * x.Sin()).Sum();
        var first = Autograd.Grad(y, x, retainGraph: true).ToArray<double>();
        var second = Autograd.Grad(y, x, retainGraph: true).ToArray<double>();
        Assert.Equal(first, second);
        y.Backward();
        Assert.Equal(first, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Backward_ReleasesTheGraph_SoIntermediatesCanBeCollected()
    {
        var (output, intermediate) = BuildGraph();
        CollectGarbage();
        Assert.True(intermediate.IsAlive, "before backward the output's graph holds the intermediate");

        output.Backward();
        CollectGarbage();
        Assert.False(intermediate.IsAlive, "after backward the graph must not keep intermediates alive");
        GC.KeepAlive(output);
    }

    [Fact]
    public void Backward_WithRetainGraph_KeepsIntermediatesAlive()
    {
        var (output, intermediate) = BuildGraph();
        output.Backward(retainGraph: true);
        CollectGarbage();
        Assert.True(intermediate.IsAlive);
        GC.KeepAlive(output);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Output, WeakReference Intermediate) BuildGraph()
    {
        var x = Leaf(0.5, 1.5);
        var h = x.Exp();
        var output = (h * h + h).Sum();
        return (output, new WeakReference(h));
    }

    [Fact]
    public void Backward_ReleasesWhatRulesSaved_SoSavedTensorsCanBeCollected()
    {
        var (output, condition) = BuildGraphSavingACondition();
        CollectGarbage();
        Assert.True(condition.IsAlive, "before backward Where's node holds its condition for the rule");

        output.Backward(Tensor.OnesLike(output));
        CollectGarbage();
        Assert.False(condition.IsAlive, "after backward the node must drop the state it saved");
        GC.KeepAlive(output);
    }

    /// <summary>
    /// Where's node, the output's own (which the output keeps), saves its condition as state: the condition
    /// is not an input, so only the state holds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Output, WeakReference Condition) BuildGraphSavingACondition()
    {
        var x = Leaf(0.5, -1.5);
        var condition = Vector(1, 0);
        var output = Tensor.Where(condition, x, x * 2);
        return (output, new WeakReference(condition));
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void Backward_ThroughAChainOfAHundredThousandOps_DoesNotOverflowTheStack()
    {
        const int length = 100_000;
        const double factor = 1.000001;
        var x = Leaf(1.5);
        var y = x;
        for (int i = 0; i < length; i++) y = y * factor;
        y.Sum().Backward();
        double expected = Math.Pow(factor, length);
        Assert.Equal(expected, x.Grad!.Item(), expected * 1e-9);
    }

    [Fact]
    public void Backward_ThroughAWideGraph_SumsEveryBranch()
    {
        var x = Leaf(2);
        var terms = Enumerable.Range(1, 1000).Select(k => x * (double)k).ToArray();
        Tensor.Stack(terms).Sum().Backward();
        AssertValues([1000 * 1001 / 2], x.Grad);
    }

    [Fact]
    public void NoGrad_StopsRecording_AndScopesNest()
    {
        var x = Leaf(1, 2);
        Assert.True(Autograd.IsGradEnabled);
        using (Autograd.NoGrad())
        {
            Assert.False(Autograd.IsGradEnabled);
            var y = x * 2.0;
            Assert.False(y.RequiresGrad);
            Assert.True(y.IsLeaf);
            using (Autograd.NoGrad())
                Assert.False(Autograd.IsGradEnabled);
            Assert.False(Autograd.IsGradEnabled);
            Assert.False((x + x).RequiresGrad);
        }
        Assert.True(Autograd.IsGradEnabled);
        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void EnableGrad_RecordsInsideNestedNoGrad_AndPutsThemBack()
    {
        var x = Tensor.Scalar(3.0, DType.Float64).RequiresGradient();
        using (Autograd.NoGrad())
        using (Autograd.NoGrad())
        {
            using (Autograd.EnableGrad())
            {
                Assert.True(Autograd.IsGradEnabled);
                var y = x * x;
                Assert.True(y.RequiresGrad);
                Assert.Equal(6.0, Autograd.Grad(y, x).Item());
            }
            Assert.False(Autograd.IsGradEnabled);
            Assert.False((x * x).RequiresGrad);
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void NoGrad_DisposedTwice_RestoresOnlyOnce()
    {
        using (Autograd.NoGrad())
        {
            var inner = Autograd.NoGrad();
            inner.Dispose();
            inner.Dispose();
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public async Task NoGrad_HoldsAcrossAwait_AndTasksStartedInside()
    {
        using (Autograd.NoGrad())
        {
            await Task.Yield();
            Assert.False(Autograd.IsGradEnabled);
            Assert.False(await ReadAfterResumingOnAPoolThread(() => Autograd.IsGradEnabled));
            Assert.False(await Task.Run(() => Autograd.IsGradEnabled));
            Assert.False((Leaf(1) * 2.0).RequiresGrad);
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public async Task NoGrad_AcrossAwaits_NeverChangesWhatOtherThreadsSee()
    {
        // Scopes that start on one thread and end on another must leave every thread recording.
        // (A thread-static depth would be left disabled on one thread and at −1 on the other.)
        var inside = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => ScopeThatEndsOnAPoolThread(i % 4)));
        Assert.All(inside, Assert.False);
        var seen = await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => OnAPoolThreadWithoutFlow(() => Autograd.IsGradEnabled)));
        Assert.All(seen, Assert.True);

        using (Autograd.NoGrad())
            Assert.True(await OnAPoolThreadWithoutFlow(() => Autograd.IsGradEnabled));
    }

    /// <summary>Opens a NoGrad scope, resumes on a pool thread, reports IsGradEnabled there, and disposes the scope there.</summary>
    private static async Task<bool> ScopeThatEndsOnAPoolThread(int delayMs)
    {
        using (Autograd.NoGrad())
        {
            await Task.Delay(delayMs).ConfigureAwait(false);
            return Autograd.IsGradEnabled;
        }
    }

    private static async Task<T> ReadAfterResumingOnAPoolThread<T>(Func<T> read)
    {
        await Task.Delay(1).ConfigureAwait(false);
        return read();
    }

    private static Task<T> OnAPoolThreadWithoutFlow<T>(Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreadPool.UnsafeQueueUserWorkItem(_ => result.SetResult(read()), null);
        return result.Task;
    }

    [Fact]
    public void Backward_OfAResultComputedUnderNoGrad_ThrowsExplaining()
    {
        var x = Leaf(1);
        Tensor y;
        using (Autograd.NoGrad()) y = (x * 2.0).Sum();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("does not require gradients", e.Message);
    }

    [Fact]
    public void Detach_StopsTheGradient()
    {
        // y = x · stop(x): dy/dx = stop(x) = x, not 2x.
        var x = Leaf(3, -1);
        var y = (x * x.Detach()).Sum();
        y.Backward();
        AssertValues([3, -1], x.Grad);

        var d = (x * 2.0).Detach();
        Assert.False(d.RequiresGrad);
        Assert.Null(d.GradFnName);
        Assert.False((d * d).RequiresGrad);
    }

    [Fact]
    public void RequiresGrad_CannotBeClearedOnANonLeaf()
    {
        var y = Leaf(1) * 2.0;
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
        Assert.Equal("MultiplyScalar", y.GradFnName);
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void Backward_WithAGradOutput_ComputesTheVectorJacobianProduct()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2).RequiresGradient();
        var y = x * x * 3.0;
        y.Backward(Tensor.FromArray(new double[] { 1, 0.5, -1, 2 }, 2, 2));
        AssertValues([6 * 1 * 1, 6 * 2 * 0.5, 6 * 3 * -1, 6 * 4 * 2], x.Grad);
        Assert.Equal([2, 2], x.Grad!.Shape);
    }

    [Fact]
    public void Backward_OfANonScalarWithoutGradOutput_Throws()
    {
        var y = Leaf(1, 2) * 2.0;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("scalar", e.Message);
        Assert.Contains("[2]", e.Message);
    }

    [Fact]
    public void Backward_WithAGradOutputOfTheWrongShapeOrType_Throws()
    {
        var y = Leaf(1, 2) * 2.0;
        var e = Assert.Throws<ShapeMismatchException>(() => y.Backward(Tensor.FromArray(new double[] { 1, 2, 3 })));
        Assert.Contains("[3]", e.Message);
        Assert.Contains("[2]", e.Message);
        Assert.Throws<ArgumentException>(() => y.Backward(Tensor.FromArray(new float[] { 1, 2 })));
    }

    [Fact]
    public void Backward_OfASingleElementNonScalar_SeedsWithOne()
    {
        var x = Leaf(2);
        (x * x).Backward();
        AssertValues([4], x.Grad);
    }

    [Fact]
    public void Grad_ReturnsGradients_WithoutTouchingGrad()
    {
        var x = Leaf(1, 2);
        var y = (x * x * x).Sum();
        var g = Autograd.Grad(y, x);
        AssertValues([3, 12], g);
        Assert.Null(x.Grad);

        x.Grad = Vector(10, 20);
        Autograd.Grad((x * 5.0).Sum(), x);
        AssertValues([10, 20], x.Grad);
    }

    [Fact]
    public void Grad_OfSeveralOutputs_SumsTheirGradients()
    {
        var x = Leaf(2);
        var grads = Autograd.Grad([(x * x).Sum(), (x * 3.0).Sum()], [x]);
        AssertValues([2 * 2 + 3], grads[0]);
    }

    [Fact]
    public void Grad_WithRespectToANonLeaf_IsTheGradientAtThatNode()
    {
        var x = Leaf(1, -2);
        var h = x * 3.0;
        var y = (h * h).Sum();
        var grads = Autograd.Grad([y], [h, x]);
        AssertValues([6, -12], grads[0]);   // 2h
        AssertValues([18, -36], grads[1]);  // 2h · 3
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Grad_WithRespectToAnUnusedInput_ThrowsUnlessAllowed()
    {
        var x = Leaf(1);
        var unused = Leaf(5);
        var y = (x * 2.0).Sum();
        var e = Assert.Throws<ArgumentException>(() => Autograd.Grad([y], [x, unused], retainGraph: true));
        Assert.Contains("inputs[1]", e.Message);
        Assert.Contains("allowUnused", e.Message);
        var grads = Autograd.Grad([y], [x, unused], allowUnused: true);
        AssertValues([2], grads[0]);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void Grad_WithRespectToATensorThatDoesNotRequireGrad_Throws()
    {
        var x = Leaf(1);
        var c = Vector(2);
        var e = Assert.Throws<ArgumentException>(() => Autograd.Grad((x * c).Sum(), c));
        Assert.Contains("does not require gradients", e.Message);
    }

    [Fact]
    public void Grad_OfTheInputItself_IsTheSeed()
    {
        var x = Leaf(4);
        AssertValues([1], Autograd.Grad(x, x));
    }

    [Fact]
    public void CreateGraph_GivesGradientsOfGradients()
    {
        // y = Σ x³: dy/dx = 3x², d²y/dx² = 6x, d³y/dx³ = 6.
        var x = Leaf(0.5, -2, 3);
        var y = (x * x * x).Sum();
        var first = Autograd.Grad(y, x, createGraph: true);
        AssertValues([0.75, 12, 27], first);
        Assert.True(first.RequiresGrad);

        var second = Autograd.Grad(first.Sum(), x, createGraph: true);
        AssertValues([3, -12, 18], second);

        var third = Autograd.Grad(second.Sum(), x);
        AssertValues([6, 6, 6], third);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void CreateGraph_OnBackward_MakesGradDifferentiable()
    {
        var x = Leaf(2);
        (x * x * x).Sum().Backward(createGraph: true);
        var grad = x.Grad!;
        AssertValues([12], grad);
        Assert.True(grad.RequiresGrad);
        AssertValues([12], Autograd.Grad(grad.Sum(), x)); // 6x
    }

    [Fact]
    public void WithoutCreateGraph_GradientsAreConstants()
    {
        var x = Leaf(2);
        var g = Autograd.Grad((x * x).Sum(), x);
        Assert.False(g.RequiresGrad);
        Assert.True(g.IsLeaf);
    }

    [Fact]
    public void DiamondGraphs_SumTheGradientOfEveryPath()
    {
        // x used twice by one op: d(x·x)/dx = 2x.
        var x = Leaf(3);
        (x * x).Sum().Backward();
        AssertValues([6], x.Grad);

        // Two branches rejoining: z = (2x)(x + 1), dz/dx = 2(x + 1) + 2x.
        var u = Leaf(1.5);
        ((u * 2.0) * (u + 1.0)).Sum().Backward();
        AssertValues([2 * 2.5 + 2 * 1.5], u.Grad);

        // An intermediate used twice: h = eˣ, y = h·h + h, dy/dx = (2h + 1)·h.
        var v = Leaf(0.25);
        var h = v.Exp();
        (h * h + h).Sum().Backward();
        double e = Math.Exp(0.25);
        AssertValues([(2 * e + 1) * e], v.Grad, 1e-14);

        // Several levels of diamonds: a = x + x, b = a · a, c = b + a; dc/dx = 2(2a) + 2 = 8x + 2.
        var w = Leaf(0.75);
        var a = w + w;
        var b = a * a;
        (b + a).Sum().Backward();
        AssertValues([8 * 0.75 + 2], w.Grad);
    }

    [Fact]
    public void Backward_ThroughIntegerIndices_SkipsTheIndexInput()
    {
        var x = Leaf(10, 20, 30);
        var index = Tensor.FromArray(new[] { 2, 2, 0 });
        x.IndexSelect(0, index).Sum().Backward();
        AssertValues([1, 0, 2], x.Grad);
        Assert.Null(index.Grad);
    }
}
