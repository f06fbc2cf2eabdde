using System.Text.Json;
using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// Every transform of <see cref="Functional"/> against <c>torch.autograd.functional</c> in Float64, from
/// Fixtures/torch_functional.json, which tools/fixtures/torch_functional.py wrote. One theory row per function.
/// </summary>
public class FunctionalTorchReferenceTests
{
    private static readonly Lazy<Fixture> s_fixture = new(Fixture.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_fixture.Value.Cases) names.Add(c.Name);
        return names;
    }

    public static TheoryData<string> ScalarCaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_fixture.Value.Cases.Where(c => c.Gradient is not null)) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void Fixture_HasEveryBuiltFunction_AndBothJacobianDirections()
    {
        var cases = s_fixture.Value.Cases;
        Assert.Equal(["cross_entropy", "matrix_scalar", "matrix_valued", "mlp_sum", "tanh_layer", "tanh_square_sum", "vector_function"],
            cases.Select(c => c.Name).Order());
        // Jacobians are built by rows when f(x) has at most as many elements as x, else by columns: both occur.
        Assert.Contains(cases, c => Count(c.Value.Shape) > Count(c.X.Shape));
        Assert.Contains(cases, c => Count(c.Value.Shape) > 1 && Count(c.Value.Shape) <= Count(c.X.Shape));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void JacobianJvpAndVjp_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var f = Build(c);
        var x = ToTensor(c.X);

        AssertClose($"{name}: f(x)", c.Value, f(x));
        AssertClose($"{name}: Jacobian", c.Jacobian, Functional.Jacobian(f, x));

        var (output, jvp) = Functional.Jvp(f, x, ToTensor(c.VIn));
        AssertClose($"{name}: Jvp output", c.Value, output);
        AssertClose($"{name}: Jvp", c.Jvp, jvp);

        var (vjpOutput, vjp) = Functional.Vjp(f, x, ToTensor(c.VOut));
        AssertClose($"{name}: Vjp output", c.Value, vjpOutput);
        AssertClose($"{name}: Vjp", c.Vjp, vjp);
    }

    [Theory]
    [MemberData(nameof(ScalarCaseNames))]
    public void GradientHessianAndHvp_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var f = Build(c);
        var x = ToTensor(c.X);

        AssertClose($"{name}: Grad", c.Gradient!, Functional.Grad(f)(x));
        var (value, gradient) = Functional.ValueAndGrad(f)(x);
        AssertClose($"{name}: ValueAndGrad value", c.Value, value);
        AssertClose($"{name}: ValueAndGrad gradient", c.Gradient!, gradient);
        AssertClose($"{name}: Hessian", c.Hessian!, Functional.Hessian(f, x));
        AssertClose($"{name}: HessianVectorProduct", c.Hvp!, Functional.HessianVectorProduct(f, x, ToTensor(c.VIn)));
    }

    /// <summary>The Nabla form of each fixture function, with its parameters.</summary>
    private static Func<Tensor, Tensor> Build(Case c)
    {
        Tensor P(string key) => ToTensor(c.Params[key]);
        switch (c.Name)
        {
            case "tanh_square_sum":
            {
                var w = P("W");
                return x => w.MatMul(x).Tanh().Pow(2).Sum();
            }
            case "cross_entropy":
            {
                var w = P("W");
                return x =>
                {
                    var z = w.MatMul(x);
                    return z.Exp().Sum().Log() - z.Slice(0, 2, 1).Sum();
                };
            }
            case "mlp_sum":
            {
                var (w1, b1, w2, b2) = (P("W1"), P("b1"), P("W2"), P("b2"));
                return x => (w2.MatMul((w1.MatMul(x) + b1).Tanh()) + b2).Tanh().Sum();
            }
            case "vector_function":
                return x =>
                {
                    Tensor X(int i) => x.Slice(0, i, 1);
                    return Tensor.Concat([X(0) * X(1), X(2).Sin(), X(0).Exp() * X(2), X(1).Pow(2), X(0) / X(2)]);
                };
            case "tanh_layer":
            {
                var (w, b) = (P("W"), P("b"));
                return x => (w.MatMul(x) + b).Tanh();
            }
            case "matrix_scalar":
            {
                var a = P("A");
                return x => x.MatMul(a).Tanh().Pow(2).Sum() + (x.Sin() * x).Sum();
            }
            case "matrix_valued":
            {
                var a = P("A");
                return x => x.MatMul(a).Tanh();
            }
            default:
                throw new InvalidDataException($"The fixture has a function {c.Name} that the test does not build.");
        }
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    private static Tensor ToTensor(TensorData data)
        => data.Shape.Length == 0 ? Tensor.Scalar(data.Values[0], DType.Float64) : Tensor.FromArray(data.Values, data.Shape);

    private static void AssertClose(string what, TensorData expected, Tensor actual)
    {
        Assert.Equal(DType.Float64, actual.DType);
        Assert.False(actual.RequiresGrad, $"{what}: results are detached by default");
        expected.AssertClose(what, actual);
    }


    private sealed record Case(string Name, string Function, Dictionary<string, TensorData> Params, TensorData X,
        TensorData VIn, TensorData VOut, TensorData Value, TensorData Jacobian, TensorData Jvp, TensorData Vjp,
        TensorData? Gradient, TensorData? Hessian, TensorData? Hvp);

    private sealed record Fixture(List<Case> Cases)
    {
        public static Fixture Load() => FixtureFile.Load<Fixture>("torch_functional.json");
    }
}
