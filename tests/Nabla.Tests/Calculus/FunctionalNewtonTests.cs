using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// Transforms composed into an algorithm: Newton's method, x ← x − H(x)⁻¹·∇f(x), with the gradient from
/// <see cref="Functional.Grad(Func{Tensor, Tensor}, bool)"/> and the Hessian from <see cref="Functional.Hessian"/>,
/// on a smooth, strongly convex function of three variables. Exact second derivatives give quadratic
/// convergence: near the minimum each gradient norm is about the square of the one before.
/// </summary>
public class FunctionalNewtonTests
{
    [Fact]
    public void Newton_WithGradAndHessian_ConvergesQuadratically()
    {
        // f(x) = Σ softplus(A·x − c) + ½‖x‖² + x₀x₁/4: strongly convex (Hessian ⪰ I − coupling), smooth.
        var a = Tensor.FromArray(new[] { 1.0, -0.5, 0.3, 0.2, 1.5, -0.7, -0.8, 0.4, 1.1, 0.6, 0.6, 0.6 }, 4, 3);
        var c = Tensor.FromArray(new[] { 0.5, -1.0, 0.2, 1.3 });
        Func<Tensor, Tensor> f = x => (a.MatMul(x) - c).Softplus().Sum() + (x * x).Sum() * 0.5
            + x.Slice(0, 0, 1).Sum() * x.Slice(0, 1, 1).Sum() * 0.25;
        var gradient = Functional.Grad(f);

        var x = Tensor.FromArray(new[] { 3.0, -2.0, 2.5 });
        var norms = new List<double>();
        for (int iteration = 0; iteration < 12; iteration++)
        {
            var g = gradient(x);
            double norm = Math.Sqrt(g.ToDoubleArray().Sum(e => e * e));
            norms.Add(norm);
            if (norm < 1e-14) break;
            var step = Solve(Functional.Hessian(f, x).ToDoubleArray(), g.ToDoubleArray());
            x = x - Tensor.FromArray(step);
        }

        string trace = string.Join(", ", norms.Select(n => n.ToString("E2")));
        Assert.True(norms[^1] < 1e-14, $"Newton did not reach ‖∇f‖ < 1e-14 in 12 steps: {trace}");
        Assert.True(norms.Count <= 8, $"too many steps for Newton's method: {trace}");

        // Quadratic convergence: once ‖∇f‖ < 0.5, each norm is within a modest constant of the square of the
        // previous one, until rounding (1e-14) takes over. Linear convergence would fail this at once.
        int checkedSteps = 0;
        for (int k = 0; k + 1 < norms.Count; k++)
        {
            if (norms[k] >= 0.5 || norms[k + 1] < 1e-14) continue;
            Assert.True(norms[k + 1] <= 2 * norms[k] * norms[k], $"step {k + 1}: ‖∇f‖ went from {norms[k]:E3} to {norms[k + 1]:E3}, not about its square ({trace})");
            checkedSteps++;
        }
        Assert.True(checkedSteps >= 2, $"only {checkedSteps} steps in the quadratic phase: {trace}");
    }

    /// <summary>Solves the 3×3 system H·s = g by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[] h, double[] g)
    {
        const int n = 3;
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = h[i * n + j];
            m[i, n] = g[i];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j <= n; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int j = col; j <= n; j++) m[r, j] -= factor * m[col, j];
            }
        }
        var s = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = m[i, n];
            for (int j = i + 1; j < n; j++) sum -= m[i, j] * s[j];
            s[i] = sum / m[i, i];
        }
        return s;
    }
}
