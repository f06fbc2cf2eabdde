using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// The transforms of <see cref="Functional"/> agree with each other (H symmetric, HVP = H·v, Jvp = J·v,
/// Vjp = vᵀ·J, Grad∘Grad = Hessian), with closed-form derivatives, with Ridders' extrapolated differences
/// (<see cref="NumericDiff"/>) and with finite differences (through <see cref="GradCheck"/>); leave
/// their inputs alone; work in Float32 and inside NoGrad; give zeros for outputs that do not depend
/// on x; and reject bad input with messages that name the transform and shapes.
/// </summary>
public class FunctionalTests
{
    private static readonly int[] s_seeds = [1, 2, 3, 4, 5];

    private static Tensor Randn(Generator g, params int[] shape) => Tensor.Randn(shape, g, DType.Float64);

    /// <summary>A smooth scalar function of x ∈ ℝⁿ with a dense, indefinite Hessian.</summary>
    private static Func<Tensor, Tensor> ScalarFunction(Generator g, int n, DType dtype = DType.Float64)
    {
        var w = (Randn(g, 4, n) * 0.7).To(dtype);
        var b = Randn(g, 4).To(dtype);
        return x => (w.MatMul(x) + b).Tanh().Pow(2).Sum() + x.Sin().Sum() * x.Exp().Mean();
    }

    /// <summary>A smooth function ℝⁿ → ℝᵐ.</summary>
    private static Func<Tensor, Tensor> VectorFunction(Generator g, int m, int n, DType dtype = DType.Float64)
    {
        var w = (Randn(g, m, n) * 0.7).To(dtype);
        return x => w.MatMul(x).Tanh() * x.Pow(2).Sum() + w.MatMul(x.Sin());
    }

    private static double[,] Matrix(Tensor t, int rows, int columns)
    {
        var values = t.ToDoubleArray();
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                m[i, j] = values[i * columns + j];
        return m;
    }

    private static void AssertAllClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(scale, 1e-300),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void ClassExample_GivesTheDocumentedValues()
    {
        Func<Tensor, Tensor> f = x => (x * x * x).Sum();
        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
        Assert.Equal([3.0, 12.0], Functional.Grad(f)(x).ToDoubleArray());
        Assert.Equal([6.0, 0.0, 0.0, 12.0], Functional.Hessian(f, x).ToDoubleArray());
        var (y, jv) = Functional.Jvp(t => t.Sin(), x, Tensor.FromArray(new[] { 1.0, 0.0 }));
        AssertAllClose([Math.Sin(1), Math.Sin(2)], y.ToDoubleArray(), 1e-15, "sin x");
        AssertAllClose([Math.Cos(1), 0.0], jv.ToDoubleArray(), 1e-15, "J·v");
        Func<Tensor, Tensor> cube = t => t * t * t;
        Assert.Equal(12.0, Functional.Grad(Functional.Grad(cube))(Tensor.Scalar(2.0, DType.Float64)).Item(), 1e-14);
    }

    [Fact]
    public void Hessian_IsSymmetric()
    {
        foreach (int seed in s_seeds)
        {
            var g = new Generator((ulong)seed);
            var f = ScalarFunction(g, 4);
            var h = Matrix(Functional.Hessian(f, Randn(g, 4)), 4, 4);
            double scale = h.Cast<double>().Max(Math.Abs);
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < i; j++)
                    Assert.True(Math.Abs(h[i, j] - h[j, i]) <= 1e-12 * scale, $"seed {seed}: H[{i},{j}] = {h[i, j]:R}, H[{j},{i}] = {h[j, i]:R}");
        }
    }

    [Fact]
    public void HessianVectorProduct_EqualsHessianTimesV()
    {
        foreach (int seed in s_seeds)
        {
            var g = new Generator((ulong)seed);
            var f = ScalarFunction(g, 5);
            var (x, v) = (Randn(g, 5), Randn(g, 5));
            var h = Matrix(Functional.Hessian(f, x), 5, 5);
            var vs = v.ToDoubleArray();
            var expected = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 5).Sum(j => h[i, j] * vs[j])).ToArray();
            AssertAllClose(expected, Functional.HessianVectorProduct(f, x, v).ToDoubleArray(), 1e-12, $"seed {seed}: H·v");
        }
    }

    [Theory]
    [InlineData(2, 5)] // Jacobian by rows
    [InlineData(3, 3)]
    [InlineData(6, 2)] // Jacobian by columns
    public void JvpAndVjp_EqualJacobianProducts(int m, int n)
    {
        foreach (int seed in s_seeds)
        {
            var g = new Generator((ulong)seed);
            var f = VectorFunction(g, m, n);
            var (x, vIn, vOut) = (Randn(g, n), Randn(g, n), Randn(g, m));
            var jacobian = Functional.Jacobian(f, x);
            Assert.Equal([m, n], jacobian.Shape);
            var j = Matrix(jacobian, m, n);
            var (vi, vo) = (vIn.ToDoubleArray(), vOut.ToDoubleArray());

            var (output, jvp) = Functional.Jvp(f, x, vIn);
            Assert.Equal(f(x).ToDoubleArray(), output.ToDoubleArray());
            var jv = Enumerable.Range(0, m).Select(r => Enumerable.Range(0, n).Sum(c => j[r, c] * vi[c])).ToArray();
            AssertAllClose(jv, jvp.ToDoubleArray(), 1e-12, $"seed {seed}: J·v");

            var (_, vjp) = Functional.Vjp(f, x, vOut);
            var vj = Enumerable.Range(0, n).Select(c => Enumerable.Range(0, m).Sum(r => vo[r] * j[r, c])).ToArray();
            AssertAllClose(vj, vjp.ToDoubleArray(), 1e-12, $"seed {seed}: vᵀ·J");
        }
    }

    [Fact]
    public void GradOfGrad_OfScalarFunction_EqualsHessianAndClosedForm()
    {
        // f(t) = sin(t)·eᵗ, f''(t) = 2·cos(t)·eᵗ.
        Func<Tensor, Tensor> f = t => t.Sin() * t.Exp();
        foreach (double t in new[] { -1.3, 0.0, 0.4, 2.2 })
        {
            double expected = 2 * Math.Cos(t) * Math.Exp(t);
            var scalar = Tensor.Scalar(t, DType.Float64);
            var second = Functional.Grad(Functional.Grad(f))(scalar);
            Assert.Empty(second.Shape);
            Assert.Equal(expected, second.Item(), 1e-13);

            var hessian = Functional.Hessian(f, scalar);
            Assert.Empty(hessian.Shape);
            Assert.Equal(second.Item(), hessian.Item(), 1e-15);

            var oneElement = Tensor.FromArray(new[] { t }, 1);
            var hessian11 = Functional.Hessian(f, oneElement);
            Assert.Equal([1, 1], hessian11.Shape);
            Assert.Equal(expected, hessian11.Item(), 1e-13);
            Assert.Equal(expected, Functional.Grad(Functional.Grad(f))(oneElement).Item(), 1e-13);
        }
    }

    [Fact]
    public void ThreeNestedGrads_GiveTheThirdDerivative()
    {
        // (x⁴)''' = 24x.
        var third = Functional.Grad(Functional.Grad(Functional.Grad(t => t.Pow(4))));
        Assert.Equal(48, third(Tensor.Scalar(2, DType.Float64)).Item(), 1e-12);
        Assert.Equal(-12, third(Tensor.Scalar(-0.5, DType.Float64)).Item(), 1e-12);
    }

    [Fact]
    public void JacobianOfGrad_EqualsHessian_AndGradOfAFunctionOfTheGradient_IsHessianTimesGradient()
    {
        var g = new Generator(7);
        var f = ScalarFunction(g, 3);
        var x = Randn(g, 3);

        Assert.Equal(Functional.Hessian(f, x).ToDoubleArray(), Functional.Jacobian(Functional.Grad(f), x).ToDoubleArray());

        // ∇(½‖∇f‖²) = H·∇f: a transform called inside the function that another transform differentiates.
        var gradient = Functional.Grad(f)(x);
        var penaltyGradient = Functional.Grad(t => Functional.Grad(f)(t).Pow(2).Sum() * 0.5)(x);
        AssertAllClose(Functional.HessianVectorProduct(f, x, gradient).ToDoubleArray(), penaltyGradient.ToDoubleArray(), 1e-12, "∇(½‖∇f‖²)");
    }

    [Fact]
    public void CreateGraph_KeepsResultsDifferentiableWithRespectToX()
    {
        var g = new Generator(8);
        var f = ScalarFunction(g, 3);
        var x = Randn(g, 3).RequiresGradient();

        var gradient = Functional.Grad(f, createGraph: true)(x);
        Assert.True(gradient.RequiresGrad);
        var penalty = Nabla.Autograd.Grad(gradient.Pow(2).Sum() * 0.5, x);
        var expected = Functional.HessianVectorProduct(f, x, gradient.Detach());
        AssertAllClose(expected.ToDoubleArray(), penalty.ToDoubleArray(), 1e-12, "∇(½‖∇f‖²) by Autograd.Grad");
        Assert.Null(x.Grad);

        Assert.False(Functional.Grad(f)(x).RequiresGrad, "without createGraph the gradient is detached");
    }

    [Fact]
    public void GradCheck_OfTheGradient_PassesWithCreateGraph_AndFailsWhenDetached()
    {
        // GradCheck compares the autograd Jacobian of x ↦ ∇f(x), i.e. the Hessian through Grad's own graph,
        // with central differences of the gradient.
        var g = new Generator(9);
        var f = ScalarFunction(g, 4);
        var x = Randn(g, 4).RequiresGradient();

        var connected = GradCheck.Check(t => Functional.Grad(f, createGraph: true)(t[0]), [x]);
        Assert.True(connected.Passed, connected.Message);

        var detached = GradCheck.Check(t => Functional.Grad(f)(t[0]), [x]);
        Assert.False(detached.Passed, "a detached gradient has no derivative, which the check must notice");
    }

    [Fact]
    public void GradCheck_OfTheHessianWithCreateGraph_ChecksThirdDerivatives()
    {
        var g = new Generator(14);
        var f = ScalarFunction(g, 3);
        var x = Randn(g, 3).RequiresGradient();
        var report = GradCheck.Check(t => Functional.Hessian(f, t[0], createGraph: true), [x]);
        Assert.True(report.Passed, report.Message);
    }

    [Fact]
    public void CallersGraph_ThroughTensorsTheFunctionUses_SurvivesTheTransform()
    {
        // f closes over h, computed from a parameter w outside: the transform's backward passes run on into
        // that graph, and must not free it before the caller's own Backward.
        var w = Tensor.FromArray(new[] { 0.3, -0.8, 1.1 }).RequiresGradient();
        var h = w.Tanh();
        Func<Tensor, Tensor> f = x => (x * h).Sin().Sum();
        var x = Tensor.FromArray(new[] { 1.0, 2.0, -1.0 });

        var gradient = Functional.Grad(f)(x);
        _ = Functional.Hessian(f, x);
        h.Sum().Backward();

        var expected = w.ToDoubleArray().Select(e => 1 - Math.Tanh(e) * Math.Tanh(e)).ToArray();
        AssertAllClose(expected, w.Grad!.ToDoubleArray(), 1e-15, "∂Σtanh(w)/∂w");
        var hs = h.ToDoubleArray();
        AssertAllClose(hs.Select((e, i) => Math.Cos(x.ToDoubleArray()[i] * e) * e).ToArray(), gradient.ToDoubleArray(), 1e-15, "∇f");
    }

    [Fact]
    public void GradCheck_OfJvpAndVjp_PassesWithCreateGraph()
    {
        var g = new Generator(10);
        var f = VectorFunction(g, 4, 3);
        var (x, vIn, vOut) = (Randn(g, 3).RequiresGradient(), Randn(g, 3), Randn(g, 4));

        var jvp = GradCheck.Check(t => Functional.Jvp(f, t[0], vIn, createGraph: true).Jvp, [x]);
        Assert.True(jvp.Passed, jvp.Message);
        var vjp = GradCheck.Check(t => Functional.Vjp(f, t[0], vOut, createGraph: true).Vjp, [x]);
        Assert.True(vjp.Passed, vjp.Message);
        var jacobian = GradCheck.Check(t => Functional.Jacobian(f, t[0], createGraph: true), [x]);
        Assert.True(jacobian.Passed, jacobian.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradient_Jacobian_AndHessian_MatchRiddersExtrapolatedDifferences(int seed)
    {
        // The independent numeric versions: Ridders' extrapolated central differences on plain doubles.
        var g = new Generator((ulong)seed);
        const int n = 4, m = 3;
        var scalar = ScalarFunction(g, n);
        var vector = VectorFunction(g, m, n);
        var x = Randn(g, n);
        double Scalar(double[] p) => scalar(Tensor.FromArray(p)).Item();
        double[] Vector(double[] p) => vector(Tensor.FromArray(p)).ToDoubleArray();
        var point = x.ToDoubleArray();

        var gradient = NumericDiff.Gradient(Scalar, point);
        AssertWithinEstimate(gradient.Value, gradient.Error, Functional.Grad(scalar)(x).ToDoubleArray(), "gradient");
        var jacobian = NumericDiff.Jacobian(Vector, point);
        AssertWithinEstimate(Flatten(jacobian.Value), Flatten(jacobian.Error), Functional.Jacobian(vector, x).ToDoubleArray(), "Jacobian");
        var hessian = NumericDiff.Hessian(Scalar, point);
        AssertWithinEstimate(Flatten(hessian.Value), Flatten(hessian.Error), Functional.Hessian(scalar, x).ToDoubleArray(), "Hessian");
    }

    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();

    // Autodiff is exact up to rounding, so it must sit inside the numeric estimate's error bar
    // (with a small multiple and a floor for entries whose estimate is at rounding level).
    private static void AssertWithinEstimate(double[] numeric, double[] error, double[] autodiff, string what)
    {
        Assert.Equal(numeric.Length, autodiff.Length);
        for (int i = 0; i < numeric.Length; i++)
        {
            double allowed = 4 * error[i] + 1e-12 * Math.Max(1, Math.Abs(numeric[i]));
            Assert.True(Math.Abs(numeric[i] - autodiff[i]) <= allowed,
                $"{what}[{i}]: autodiff {autodiff[i]:R}, Ridders {numeric[i]:R} ± {error[i]:E2}");
            Assert.True(Math.Abs(numeric[i] - autodiff[i]) <= 1e-8 * Math.Max(1, Math.Abs(numeric[i])),
                $"{what}[{i}]: autodiff {autodiff[i]:R} and Ridders {numeric[i]:R} differ by more than 1e-8");
        }
    }

    [Fact]
    public void ValueAndGrad_GivesFOfXAndTheGradient()
    {
        foreach (int seed in s_seeds)
        {
            var g = new Generator((ulong)seed);
            var f = ScalarFunction(g, 3);
            var x = Randn(g, 3);
            var (value, gradient) = Functional.ValueAndGrad(f)(x);
            Assert.Equal(f(x).Item(), value.Item());
            Assert.Equal(Functional.Grad(f)(x).ToDoubleArray(), gradient.ToDoubleArray());
            Assert.False(value.RequiresGrad);
        }
    }

    [Fact]
    public void GradWithRespectTo_ChosenArguments_InTheGivenOrder_OthersPassedThrough()
    {
        // f(a, b, idx) = Σₖ a[idx[k]]·e^b[k]: ∂f/∂b = a[idx]·eᵇ, ∂f/∂a[i] = Σ_{k: idx[k] = i} e^b[k].
        var a = Tensor.FromArray(new[] { 0.5, -1.0, 2.0, 3.0 });
        var b = Tensor.FromArray(new[] { 0.1, -0.4, 0.7 });
        var idx = Tensor.FromArray(new[] { 2, 0, 2 });
        Func<Tensor[], Tensor> f = args => (args[0].IndexSelect(0, args[2]) * args[1].Exp()).Sum();

        var gradients = Functional.Grad(f, withRespectTo: [1, 0])([a, b, idx]);

        Assert.Equal(2, gradients.Length);
        AssertAllClose([2.0 * Math.Exp(0.1), 0.5 * Math.Exp(-0.4), 2.0 * Math.Exp(0.7)], gradients[0].ToDoubleArray(), 1e-15, "∂f/∂b");
        AssertAllClose([Math.Exp(-0.4), 0, Math.Exp(0.1) + Math.Exp(0.7), 0], gradients[1].ToDoubleArray(), 1e-15, "∂f/∂a");
        Assert.False(a.RequiresGrad);
        Assert.False(b.RequiresGrad);
    }

    [Fact]
    public void Transforms_LeaveInputsAlone()
    {
        var g = new Generator(11);
        var f = ScalarFunction(g, 3);
        var vector = VectorFunction(g, 2, 3);
        var plain = Randn(g, 3);
        var watched = Randn(g, 3).RequiresGradient();
        var existingGrad = Tensor.FromArray(new[] { 7.0, 8.0, 9.0 });
        watched.Grad = existingGrad;
        var v = Randn(g, 3);
        var (plainValues, watchedValues) = (plain.ToDoubleArray(), watched.ToDoubleArray());

        foreach (var x in new[] { plain, watched })
        {
            Tensor[] results =
            [
                Functional.Grad(f)(x), Functional.ValueAndGrad(f)(x).Value, Functional.ValueAndGrad(f)(x).Gradient,
                Functional.Jacobian(vector, x), Functional.Hessian(f, x), Functional.HessianVectorProduct(f, x, v),
                Functional.Jvp(vector, x, v).Output, Functional.Jvp(vector, x, v).Jvp,
                Functional.Vjp(vector, x, Tensor.FromArray(new[] { 1.0, -1.0 })).Vjp,
            ];
            Assert.All(results, r => Assert.False(r.RequiresGrad));
        }

        Assert.False(plain.RequiresGrad);
        Assert.Null(plain.Grad);
        Assert.True(watched.RequiresGrad);
        Assert.Same(existingGrad, watched.Grad);
        Assert.Equal([7.0, 8.0, 9.0], existingGrad.ToDoubleArray());
        Assert.Equal(plainValues, plain.ToDoubleArray());
        Assert.Equal(watchedValues, watched.ToDoubleArray());
    }

    [Fact]
    public void Transforms_RecordInsideNoGrad_AndLeaveItOn()
    {
        var g = new Generator(12);
        var f = ScalarFunction(g, 3);
        var x = Randn(g, 3);
        var expectedGradient = Functional.Grad(f)(x).ToDoubleArray();
        var expectedHessian = Functional.Hessian(f, x).ToDoubleArray();

        using (Nabla.Autograd.NoGrad())
        {
            Assert.Equal(expectedGradient, Functional.Grad(f)(x).ToDoubleArray());
            Assert.Equal(expectedHessian, Functional.Hessian(f, x).ToDoubleArray());
            Assert.False(Nabla.Autograd.IsGradEnabled);
        }
        Assert.True(Nabla.Autograd.IsGradEnabled);
    }

    [Fact]
    public void OutputsNotConnectedToX_HaveZeroDerivatives()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 });
        var v = Tensor.FromArray(new[] { 1.0, 1.0, 1.0 });
        Func<Tensor, Tensor> constant = _ => Tensor.FromArray(new[] { 4.0, 5.0 });
        Func<Tensor, Tensor> detached = t => t.Detach().Pow(2).Sum();
        var w = Tensor.FromArray(new[] { 1.0, -2.0, 0.5 });
        Func<Tensor, Tensor> linear = t => (t * w).Sum();

        Assert.Equal([0.0, 0.0, 0.0], Functional.Grad(detached)(x).ToDoubleArray());
        Assert.Equal(14.0, Functional.ValueAndGrad(detached)(x).Value.Item());
        var jacobian = Functional.Jacobian(constant, x);
        Assert.Equal([2, 3], jacobian.Shape);
        Assert.All(jacobian.ToDoubleArray(), e => Assert.Equal(0.0, e));
        Assert.Equal([0.0, 0.0], Functional.Jvp(constant, x, v).Jvp.ToDoubleArray());
        Assert.Equal([0.0, 0.0, 0.0], Functional.Vjp(constant, x, Tensor.FromArray(new[] { 1.0, 1.0 })).Vjp.ToDoubleArray());

        // A linear function has a constant gradient, hence a zero Hessian.
        Assert.Equal(w.ToDoubleArray(), Functional.Grad(linear)(x).ToDoubleArray());
        Assert.All(Functional.Hessian(linear, x).ToDoubleArray(), e => Assert.Equal(0.0, e));
        Assert.Equal([0.0, 0.0, 0.0], Functional.HessianVectorProduct(linear, x, v).ToDoubleArray());
    }

    [Fact]
    public void Float32_GivesFloat32Results_CloseToFloat64()
    {
        Tensor[] Draw(DType dtype, out Func<Tensor, Tensor> f, out Func<Tensor, Tensor> wide, out Func<Tensor, Tensor> narrow)
        {
            var g = new Generator(13);
            f = ScalarFunction(g, 3, dtype);
            wide = VectorFunction(g, 5, 3, dtype);   // Jacobian by columns
            narrow = VectorFunction(g, 2, 3, dtype); // Jacobian by rows
            return [Randn(g, 3).To(dtype), Randn(g, 3).To(dtype), Randn(g, 5).To(dtype)];
        }
        var inputs32 = Draw(DType.Float32, out var f32, out var wide32, out var narrow32);
        var inputs64 = Draw(DType.Float64, out var f64, out var wide64, out var narrow64);
        var (x32, v32, u32) = (inputs32[0], inputs32[1], inputs32[2]);
        var (x64, v64, u64) = (inputs64[0], inputs64[1], inputs64[2]);

        var pairs = new (string Name, Tensor Single, Tensor Double)[]
        {
            ("Grad", Functional.Grad(f32)(x32), Functional.Grad(f64)(x64)),
            ("Hessian", Functional.Hessian(f32, x32), Functional.Hessian(f64, x64)),
            ("HessianVectorProduct", Functional.HessianVectorProduct(f32, x32, v32), Functional.HessianVectorProduct(f64, x64, v64)),
            ("Jacobian by columns", Functional.Jacobian(wide32, x32), Functional.Jacobian(wide64, x64)),
            ("Jacobian by rows", Functional.Jacobian(narrow32, x32), Functional.Jacobian(narrow64, x64)),
            ("Jvp", Functional.Jvp(wide32, x32, v32).Jvp, Functional.Jvp(wide64, x64, v64).Jvp),
            ("Vjp", Functional.Vjp(wide32, x32, u32).Vjp, Functional.Vjp(wide64, x64, u64).Vjp),
        };
        foreach (var (name, float32Result, float64Result) in pairs)
        {
            Assert.Equal(DType.Float32, float32Result.DType);
            Assert.Equal(float64Result.Shape, float32Result.Shape);
            AssertAllClose(float64Result.ToDoubleArray(), float32Result.ToDoubleArray(), 1e-5, name);
        }
    }

    [Fact]
    public void NonScalarOutput_ForGradOrHessian_IsRejectedWithItsShape()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 });
        var grad = Assert.Throws<ArgumentException>(() => Functional.Grad(t => t.Sin())(x));
        Assert.Equal("f", grad.ParamName);
        Assert.StartsWith("Grad: f must return a scalar (one element) to have a gradient, but f(x) has shape [3] (3 elements) for x of shape [3]", grad.Message);

        var hessian = Assert.Throws<ArgumentException>(() => Functional.Hessian(t => t.Reshape(3, 1), x));
        Assert.StartsWith("Hessian: f must return a scalar (one element) to have a gradient, but f(x) has shape [3, 1]", hessian.Message);

        var valueAndGrad = Assert.Throws<ArgumentException>(() => Functional.ValueAndGrad(t => t * 2)(x));
        Assert.StartsWith("ValueAndGrad: f must return a scalar", valueAndGrad.Message);

        // One element of any rank is a scalar for Grad.
        Assert.Equal([2.0, 0.0, 0.0], Functional.Grad(t => t.Slice(0, 0, 1).Pow(2).Reshape(1, 1))(x).ToDoubleArray());
    }

    [Fact]
    public void DirectionOfTheWrongShapeOrType_IsRejectedNamingBothShapes()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 });
        Func<Tensor, Tensor> f = t => t.Slice(0, 0, 2).Sin();

        var jvp = Assert.Throws<ShapeMismatchException>(() => Functional.Jvp(f, x, Tensor.FromArray(new[] { 1.0, 2.0 })));
        Assert.StartsWith("Jvp: v has shape [2] but x has shape [3]", jvp.Message);

        var vjp = Assert.Throws<ShapeMismatchException>(() => Functional.Vjp(f, x, Tensor.FromArray(new[] { 1.0, 2.0, 3.0 })));
        Assert.StartsWith("Vjp: v has shape [3] but f(x) has shape [2]", vjp.Message);

        var hvp = Assert.Throws<ShapeMismatchException>(() => Functional.HessianVectorProduct(t => t.Sum(), x, Tensor.Zeros([3, 1], DType.Float64)));
        Assert.StartsWith("HessianVectorProduct: v has shape [3, 1] but x has shape [3]", hvp.Message);

        var type = Assert.Throws<ArgumentException>(() => Functional.Jvp(f, x, Tensor.FromArray(new[] { 1f, 2f, 3f })));
        Assert.Equal("v", type.ParamName);
        Assert.StartsWith("Jvp: v is Float32 but x is Float64", type.Message);
    }

    [Fact]
    public void BadInputsAndOutputs_AreRejectedClearly()
    {
        var labels = Tensor.FromArray(new[] { 1, 2 });
        var int32 = Assert.Throws<ArgumentException>(() => Functional.Jacobian(t => t, labels));
        Assert.Equal("x", int32.ParamName);
        Assert.StartsWith("Jacobian: x (shape [2]) is Int32, which has no derivatives", int32.Message);

        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
        var nullOutput = Assert.Throws<InvalidOperationException>(() => Functional.Grad(_ => null!)(x));
        Assert.Equal("Grad: f returned null instead of a tensor.", nullOutput.Message);
        var intOutput = Assert.Throws<ArgumentException>(() => Functional.Vjp(_ => labels, x, labels));
        Assert.StartsWith("Vjp: f returned an Int32 tensor (shape [2])", intOutput.Message);

        Func<Tensor[], Tensor> f = args => args[0].Sum();
        Assert.StartsWith("Grad: withRespectTo is empty", Assert.Throws<ArgumentException>(() => Functional.Grad(f, withRespectTo: [])).Message);
        Assert.StartsWith("Grad: withRespectTo [0, 1, 0] repeats a position", Assert.Throws<ArgumentException>(() => Functional.Grad(f, withRespectTo: [0, 1, 0])).Message);
        var outside = Assert.Throws<ArgumentException>(() => Functional.Grad(f, withRespectTo: [2])([x, x]));
        Assert.StartsWith("Grad: withRespectTo names argument 2, but the function was called with 2 arguments.", outside.Message);
        var intArgument = Assert.Throws<ArgumentException>(() => Functional.Grad(f, withRespectTo: [1])([x, labels]));
        Assert.StartsWith("Grad: args[1] (shape [2]) is Int32", intArgument.Message);
    }
}
