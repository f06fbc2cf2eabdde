using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// Ridders-extrapolated derivatives, gradients, Jacobians and Hessians against SymPy's exact values
/// (Fixtures/numeric_derivatives.json), and the honesty of their error estimates.
/// </summary>
public class NumericDiffTests
{
    // Relative to the derivative, or to the derivative's natural size |f|/scale^order where the
    // derivative itself is tiny (sigmoid at 30, f″ = 0): no difference quotient can resolve more than that.
    private const double FirstOrder = 1e-10, SecondOrder = 1e-9;

    // "Honest": the true error is within this multiple of the estimate, give or take a few dozen
    // ulps of the derivative's size. The estimate assumes f is correct to an ulp or so of its value;
    // exp_sin_mix at its first point is a sum of ±1.2 that nearly cancels, and rounds worse than that.
    private const double Honesty = 5, Ulps = 64 * 2.220446049250313e-16;

    public static TheoryData<string> ScalarNames() => [.. CalculusFixture.Derivatives.Select(c => c.Name)];

    public static TheoryData<string> MultivariateNames() => [.. CalculusFixture.Multivariate.Select(c => c.Name)];

    public static TheoryData<string> JacobianNames() => [.. CalculusFixture.Jacobians.Select(c => c.Name)];

    [Fact]
    public void Fixture_LambdasMatchSympysFunctions()
    {
        foreach (var c in CalculusFixture.Derivatives)
        {
            for (int i = 0; i < c.Points.Length; i++)
                AssertClose(c.Values[i], CalculusFunctions.Scalar[c.Name](c.Points[i]), 1e-14, $"{c.Name}({c.Points[i]}) = {c.Sympy}");
        }
        foreach (var c in CalculusFixture.Multivariate)
        {
            for (int i = 0; i < c.Points.Length; i++)
                AssertClose(c.Values[i], CalculusFunctions.Multivariate[c.Name](c.Points[i]), 1e-14, $"{c.Name} at point {i}");
        }
        foreach (var c in CalculusFixture.Jacobians)
        {
            for (int i = 0; i < c.Points.Length; i++)
            {
                double[] y = CalculusFunctions.Vector[c.Name](c.Points[i]);
                Assert.Equal(c.Values[i].Length, y.Length);
                for (int k = 0; k < y.Length; k++) AssertClose(c.Values[i][k], y[k], 1e-14, $"{c.Name} output {k} at point {i}");
            }
        }
    }

    [Fact]
    public void Fixture_CoversSmallAndLargePoints()
    {
        var points = CalculusFixture.Derivatives.SelectMany(c => c.Points).ToArray();
        Assert.Contains(points, p => Math.Abs(p) >= 1e3);
        Assert.Contains(points, p => Math.Abs(p) <= 1e-3);
        Assert.True(CalculusFixture.Derivatives.Count >= 10);
    }

    [Theory]
    [MemberData(nameof(ScalarNames))]
    public void FirstDerivative_MatchesSympy(string name)
    {
        var c = CalculusFixture.Derivatives.Single(c => c.Name == name);
        for (int i = 0; i < c.Points.Length; i++)
        {
            double x = c.Points[i];
            var d = NumericDiff.Derivative(CalculusFunctions.Scalar[name], x);
            double size = Math.Max(Math.Abs(c.First[i]), Math.Abs(c.Values[i]) / Scale(x));
            Assert.True(Math.Abs(d.Value - c.First[i]) <= FirstOrder * size,
                $"{name}′({x}): SymPy {c.First[i]:R}, Ridders {d.Value:R} ± {d.Error:G3}");
            AssertHonest(c.First[i], d, size, $"{name}′({x})");
        }
    }

    [Theory]
    [MemberData(nameof(ScalarNames))]
    public void SecondDerivative_MatchesSympy(string name)
    {
        var c = CalculusFixture.Derivatives.Single(c => c.Name == name);
        for (int i = 0; i < c.Points.Length; i++)
        {
            double x = c.Points[i];
            var d = NumericDiff.Derivative(CalculusFunctions.Scalar[name], x, order: 2);
            double size = Math.Max(Math.Abs(c.Second[i]), Math.Abs(c.Values[i]) / (Scale(x) * Scale(x)));
            Assert.True(Math.Abs(d.Value - c.Second[i]) <= SecondOrder * size,
                $"{name}″({x}): SymPy {c.Second[i]:R}, Ridders {d.Value:R} ± {d.Error:G3}");
            AssertHonest(c.Second[i], d, size, $"{name}″({x})");
        }
    }

    [Fact]
    public void IllConditionedDerivative_HasAnErrorEstimateThatCoversIt()
    {
        // σ(30) rounds to within a few ulps of 1, so σ′(30) ≈ 9.4e-14 is below what differences of σ can resolve.
        double exact = Math.Exp(-30) / Math.Pow(1 + Math.Exp(-30), 2);
        var d = NumericDiff.Derivative(CalculusFunctions.Sigmoid, 30);
        Assert.True(Math.Abs(d.Value - exact) <= d.Error, $"σ′(30) = {exact:G6}, got {d.Value:G6} ± {d.Error:G3}");
        Assert.True(d.Error > 1e-6 * exact, $"the estimate {d.Error:G3} claims more than the 16 digits of σ allow");
    }

    [Theory]
    [MemberData(nameof(MultivariateNames))]
    public void Gradient_MatchesSympy(string name)
    {
        var c = CalculusFixture.Multivariate.Single(c => c.Name == name);
        for (int p = 0; p < c.Points.Length; p++)
        {
            double[] x = c.Points[p];
            var g = NumericDiff.Gradient(CalculusFunctions.Multivariate[name], x);
            Assert.Equal(x.Length, g.Value.Length);
            Assert.Equal(x.Length, g.Error.Length);
            for (int i = 0; i < x.Length; i++)
            {
                double size = Math.Max(Math.Abs(c.Gradients[p][i]), Math.Abs(c.Values[p]) / Scale(x[i]));
                Assert.True(Math.Abs(g.Value[i] - c.Gradients[p][i]) <= FirstOrder * size,
                    $"∂{name}/∂x{i} at point {p}: SymPy {c.Gradients[p][i]:R}, Ridders {g.Value[i]:R} ± {g.Error[i]:G3}");
                AssertHonest(c.Gradients[p][i], new Estimate(g.Value[i], g.Error[i]), size, $"∂{name}/∂x{i} at point {p}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MultivariateNames))]
    public void Hessian_MatchesSympyAndIsSymmetric(string name)
    {
        var c = CalculusFixture.Multivariate.Single(c => c.Name == name);
        for (int p = 0; p < c.Points.Length; p++)
        {
            double[] x = c.Points[p];
            var h = NumericDiff.Hessian(CalculusFunctions.Multivariate[name], x);
            Assert.Equal(x.Length, h.Value.GetLength(0));
            Assert.Equal(x.Length, h.Value.GetLength(1));
            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    double exact = c.Hessians[p][i][j];
                    double size = Math.Max(Math.Abs(exact), Math.Abs(c.Values[p]) / (Scale(x[i]) * Scale(x[j])));
                    Assert.True(Math.Abs(h.Value[i, j] - exact) <= SecondOrder * size,
                        $"∂²{name}/∂x{i}∂x{j} at point {p}: SymPy {exact:R}, Ridders {h.Value[i, j]:R} ± {h.Error[i, j]:G3}");
                    AssertHonest(exact, new Estimate(h.Value[i, j], h.Error[i, j]), size, $"∂²{name}/∂x{i}∂x{j} at point {p}");
                    Assert.Equal(h.Value[i, j], h.Value[j, i]);
                    Assert.Equal(h.Error[i, j], h.Error[j, i]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(JacobianNames))]
    public void Jacobian_MatchesSympy(string name)
    {
        var c = CalculusFixture.Jacobians.Single(c => c.Name == name);
        for (int p = 0; p < c.Points.Length; p++)
        {
            double[] x = c.Points[p];
            var jac = NumericDiff.Jacobian(CalculusFunctions.Vector[name], x);
            int m = c.Jacobians[p].Length;
            Assert.Equal(m, jac.Value.GetLength(0));
            Assert.Equal(x.Length, jac.Value.GetLength(1));
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    double exact = c.Jacobians[p][i][j];
                    double size = Math.Max(Math.Abs(exact), Math.Abs(c.Values[p][i]) / Scale(x[j]));
                    Assert.True(Math.Abs(jac.Value[i, j] - exact) <= FirstOrder * size,
                        $"∂{name}{i}/∂x{j} at point {p}: SymPy {exact:R}, Ridders {jac.Value[i, j]:R} ± {jac.Error[i, j]:G3}");
                    AssertHonest(exact, new Estimate(jac.Value[i, j], jac.Error[i, j]), size, $"∂{name}{i}/∂x{j} at point {p}");
                }
            }
        }
    }

    [Fact]
    public void Derivative_StaysWithinTheInitialStep()
    {
        // log is undefined left of 0: a first step of 0.4 at x = 0.5 keeps every evaluation inside its domain.
        var seen = new List<double>();
        var d = NumericDiff.Derivative(t => { seen.Add(t); return Math.Log(t); }, 0.5, initialStep: 0.4);
        Assert.All(seen, t => Assert.InRange(t, 0.1 - 1e-15, 0.9 + 1e-15));
        Assert.True(Math.Abs(d.Value - 2) <= 1e-10, $"log′(0.5) = 2, got {d.Value:R}");
    }

    [Fact]
    public void Derivative_NearTheEdgeOfTheDomain_FindsASmallEnoughStep()
    {
        // The first steps tried from x's scale leave log's domain; the smaller ones do not.
        var d = NumericDiff.Derivative(Math.Log, 1e-6);
        Assert.True(Math.Abs(d.Value - 1e6) <= 1e-10 * 1e6, $"log′(1e-6) = 1e6, got {d.Value:R} ± {d.Error:G3}");
    }

    [Fact]
    public void MultivariateFunctions_NeitherChangeNorDependOnTheCallersArray()
    {
        double[] x = [0.3, -1.1, 2.0];
        // A function that scribbles on its argument must not corrupt later evaluations.
        double Scribbler(double[] a)
        {
            double value = CalculusFunctions.Multivariate["exp_sin_mix"](a);
            a[0] = a[1] = a[2] = 1e6;
            return value;
        }
        var clean = NumericDiff.Gradient(CalculusFunctions.Multivariate["exp_sin_mix"], x);
        var scribbled = NumericDiff.Gradient(Scribbler, x);
        var hessian = NumericDiff.Hessian(Scribbler, x);
        var jacobian = NumericDiff.Jacobian(a => { double[] y = CalculusFunctions.Vector["mixed_map"](a); a[1] = 7; return y; }, x);

        Assert.Equal([0.3, -1.1, 2.0], x);
        Assert.Equal(clean.Value, scribbled.Value);
        Assert.Equal(CalculusFixture.Multivariate.Single(c => c.Name == "exp_sin_mix").Hessians[0][0][1], hessian.Value[0, 1], 1e-9);
        Assert.Equal(CalculusFixture.Jacobians.Single(c => c.Name == "mixed_map").Jacobians[0][1][2], jacobian.Value[1, 2], 1e-9);
    }

    [Fact]
    public void BadArguments_HaveClearMessages()
    {
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => NumericDiff.Derivative(null!, 1)).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => NumericDiff.Gradient(null!, [1.0])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => NumericDiff.Hessian(a => a[0], null!)).ParamName);

        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => NumericDiff.Derivative(Math.Sin, double.NaN));
        Assert.Equal("x", nan.ParamName);
        Assert.Contains("must be finite, got NaN", nan.Message);
        Assert.Contains("got Infinity", Assert.Throws<ArgumentOutOfRangeException>(() => NumericDiff.Derivative(Math.Sin, double.PositiveInfinity)).Message);

        var order = Assert.Throws<ArgumentOutOfRangeException>(() => NumericDiff.Derivative(Math.Sin, 1, order: 3));
        Assert.Equal("order", order.ParamName);
        Assert.Contains("order must be 1 or 2, got 3", order.Message);
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => NumericDiff.Derivative(Math.Sin, 1, order: 0)).Message);

        var notFinite = Assert.Throws<ArgumentException>(() => NumericDiff.Derivative(Math.Log, -1));
        Assert.Equal("f", notFinite.ParamName);
        Assert.Contains("f(-1) is NaN", notFinite.Message);
        Assert.Contains("f(0) is -Infinity", Assert.Throws<ArgumentException>(() => NumericDiff.Derivative(Math.Log, 0)).Message);

        var empty = Assert.Throws<ArgumentException>(() => NumericDiff.Gradient(a => 0, []));
        Assert.Equal("x", empty.ParamName);
        Assert.Contains("NumericDiff.Gradient: the point x is empty", empty.Message);
        Assert.Contains("NumericDiff.Jacobian: the point x is empty", Assert.Throws<ArgumentException>(() => NumericDiff.Jacobian(a => a, [])).Message);
        Assert.Contains("x[1] is NaN", Assert.Throws<ArgumentException>(() => NumericDiff.Hessian(a => a[0], [1, double.NaN])).Message);
        Assert.Contains("f(x) is NaN at x = [-1, 2]", Assert.Throws<ArgumentException>(() => NumericDiff.Gradient(a => Math.Log(a[0]), [-1, 2])).Message);

        Assert.Contains("initialStep must be positive and finite, got -0.1",
            Assert.Throws<ArgumentOutOfRangeException>(() => NumericDiff.Derivative(Math.Sin, 1, initialStep: -0.1)).Message);
        Assert.Contains("output 1 of f(x) is Infinity",
            Assert.Throws<ArgumentException>(() => NumericDiff.Jacobian(a => [a[0], double.PositiveInfinity], [1.0])).Message);
        Assert.Contains("f returned 1 values at a point near x, but 2 values at x",
            Assert.Throws<ArgumentException>(() => NumericDiff.Jacobian(a => a[0] == 1 ? [1.0, 2.0] : [a[0]], [1.0])).Message);
    }

    private static double Scale(double x) => Math.Max(Math.Abs(x), 1);

    private static void AssertHonest(double exact, Estimate estimate, double size, string what) =>
        Assert.True(Math.Abs(estimate.Value - exact) <= Honesty * estimate.Error + Ulps * size,
            $"{what}: the true error {Math.Abs(estimate.Value - exact):G3} exceeds {Honesty}× the estimate {estimate.Error:G3}");

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
}
