namespace Nabla.Tests.Autograd;

public class GradientTapeTests
{
    [Fact]
    public void Gradient_OfLinearModelLoss_MatchesHandDerivedFormula()
    {
        // L = mean((x·w + b − y)²): dL/dw = 2/m xᵀ r, dL/db = 2/m Σ r, with r the residuals.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var y = Tensor.FromArray(new double[] { 1, 0, 2 }, 3, 1);
        var w = Tensor.FromArray(new double[] { 0.5, -0.25 }, 2, 1).RequiresGradient();
        var b = Tensor.FromArray(new double[] { 0.1 }).RequiresGradient();

        using var tape = new GradientTape();
        var loss = (x.MatMul(w) + b - y).Pow(2).Mean();
        var grads = tape.Gradient(loss, [w, b]);

        double[] r = [1 * 0.5 + 2 * -0.25 + 0.1 - 1, 3 * 0.5 + 4 * -0.25 + 0.1 - 0, 5 * 0.5 + 6 * -0.25 + 0.1 - 2];
        double[] expectedW = [2.0 / 3 * (1 * r[0] + 3 * r[1] + 5 * r[2]), 2.0 / 3 * (2 * r[0] + 4 * r[1] + 6 * r[2])];
        Assert.Equal(expectedW[0], grads[0]!.ToArray<double>()[0], 12);
        Assert.Equal(expectedW[1], grads[0]!.ToArray<double>()[1], 12);
        Assert.Equal(2.0 / 3 * r.Sum(), grads[1]!.Item(), 12);
        Assert.Null(w.Grad); // the tape returns gradients; it does not accumulate them
    }

    [Fact]
    public void Watch_MakesAConstantDifferentiable_AndDisposeRestoresIt()
    {
        var x = Tensor.FromArray(new double[] { 3 });
        Tensor? grad;
        using (var tape = new GradientTape())
        {
            tape.Watch(x);
            var y = x * x * x;
            grad = tape.Gradient(y, x);
            Assert.Contains(x, tape.WatchedTensors);
        }
        Assert.Equal(27, grad!.Item(), 12);
        Assert.False(x.RequiresGrad);
    }

    [Fact]
    public void Gradient_OfUnwatchedOrUnusedSource_IsNull()
    {
        var x = Tensor.FromArray(new double[] { 2 }).RequiresGradient();
        var unused = Tensor.FromArray(new double[] { 5 }).RequiresGradient();
        var constant = Tensor.FromArray(new double[] { 7 });
        using var tape = new GradientTape();
        var y = x * constant;
        var grads = tape.Gradient(y, [x, unused, constant]);
        Assert.Equal(7, grads[0]!.Item(), 12);
        Assert.Null(grads[1]);
        Assert.Null(grads[2]);
    }

    [Fact]
    public void NonPersistentTape_RefusesASecondGradient_PersistentAllowsIt()
    {
        var x = Tensor.FromArray(new double[] { 2 }).RequiresGradient();
        using (var tape = new GradientTape())
        {
            var y = x * x;
            tape.Gradient(y, x);
            var error = Assert.Throws<InvalidOperationException>(() => tape.Gradient(y, x));
            Assert.Contains("persistent", error.Message);
        }
        using (var tape = new GradientTape(persistent: true))
        {
            var y = x * x;
            var z = y * y;
            Assert.Equal(4, tape.Gradient(y, x)!.Item(), 12);
            Assert.Equal(32, tape.Gradient(z, x)!.Item(), 12); // d(x⁴)/dx = 4x³
        }
    }

    [Fact]
    public void Gradient_OfNonScalarTarget_IsGradientOfItsSum()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }).RequiresGradient();
        using var tape = new GradientTape();
        var y = x * x;
        Assert.Equal(new double[] { 2, 4, 6 }, tape.Gradient(y, x)!.ToArray<double>());
    }

    [Fact]
    public void Watch_RejectsInt32()
    {
        using var tape = new GradientTape();
        var error = Assert.Throws<ArgumentException>(() => tape.Watch(Tensor.FromArray(new[] { 1, 2 })));
        Assert.Contains("Int32", error.Message);
    }
}
