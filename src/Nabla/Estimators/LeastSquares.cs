using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// Solves min‖Y − X·W‖² + α‖W‖² for W (F × T), the minimum-norm solution when α = 0 and X is
/// rank-deficient: the solver behind <see cref="LinearRegression"/> and <see cref="Ridge"/>.
/// </summary>
/// <remarks>
/// <para>
/// The work on the N × F data is two GEMMs (the Gram matrix XᵀX and XᵀY), so that a million
/// samples cost about as much as one matrix product; everything else happens on F × F matrices.
/// The Gram matrix is decomposed as V·diag(λ)·Vᵀ (<see cref="SymmetricEigen"/>), and
/// W = V·diag(1/(λ + α))·Vᵀ·XᵀY, with the directions whose λ + α is below 1e-12 of the largest
/// dropped: those are the directions of dependent columns, and dropping them gives the
/// minimum-norm least-squares solution, as an SVD solver (scipy's lstsq) does.
/// </para>
/// <para>
/// Solving through XᵀX squares the condition number, which alone would cost half the digits
/// of an SVD or QR solver. Two steps of iterative refinement win them back: the residual
/// R = Y − X·W is computed on the data itself, and W += (XᵀX + αI)⁺·(XᵀR − αW). Each step
/// shrinks the error by about κ(X)²·ε, so the result agrees with a QR or SVD solution to
/// near machine precision whenever κ(X) is below about 10⁶. The rank cut-off is on λ, that is
/// 1e-6 relative on the singular values of X, where scipy uses machine ε: columns that are
/// dependent to within 1e-6 are treated as exactly dependent here.
/// </para>
/// </remarks>
internal static class LeastSquares
{
    private const double RelativeCutoff = 1e-12;
    private const int RefinementSteps = 2;

    /// <summary>The weights W (row-major F × T) for the row-major data X (N × F) and targets Y (N × T).</summary>
    public static double[] Solve(DesignMatrix x, double[] y, int targets, double alpha)
    {
        int n = x.Rows, f = x.Columns;
        var gram = new double[f * f];
        Gemm.Multiply(true, false, f, f, n, x.Values, 0, x.Values, 0, gram, 0, accumulate: false);
        var (values, vectors) = SymmetricEigen.Decompose(gram, f);
        var inverse = InverseScales(values, alpha);

        var weights = new double[f * targets];
        var rhs = new double[f * targets];
        Gemm.Multiply(true, false, f, targets, n, x.Values, 0, y, 0, rhs, 0, accumulate: false);
        ApplyInverse(vectors, inverse, f, targets, rhs, weights);

        var residual = new double[n * targets];
        var correction = new double[f * targets];
        for (int step = 0; step < RefinementSteps; step++)
        {
            Gemm.Multiply(false, false, n, targets, f, x.Values, 0, weights, 0, residual, 0, accumulate: false);
            TensorPrimitives.Subtract(y, residual, residual);
            Gemm.Multiply(true, false, f, targets, n, x.Values, 0, residual, 0, rhs, 0, accumulate: false);
            TensorPrimitives.MultiplyAdd(weights, -alpha, rhs, rhs);
            ApplyInverse(vectors, inverse, f, targets, rhs, correction);
            TensorPrimitives.Add(weights, correction, weights);
        }
        return weights;
    }

    /// <summary>1/(λ + α) for each eigenvalue, 0 for the directions below the rank cut-off.</summary>
    private static double[] InverseScales(double[] values, double alpha)
    {
        double largest = 0;
        foreach (double v in values) largest = Math.Max(largest, v + alpha);
        var inverse = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double shifted = values[i] + alpha;
            inverse[i] = shifted > RelativeCutoff * largest ? 1 / shifted : 0;
        }
        return inverse;
    }

    /// <summary>result = V·diag(inverse)·Vᵀ·rhs, for F × T right-hand sides.</summary>
    private static void ApplyInverse(double[] vectors, double[] inverse, int f, int targets, double[] rhs, double[] result)
    {
        var projected = new double[f * targets];
        Gemm.Multiply(true, false, f, targets, f, vectors, 0, rhs, 0, projected, 0, accumulate: false);
        for (int i = 0; i < f; i++)
            TensorPrimitives.Multiply(projected.AsSpan(i * targets, targets), inverse[i], projected.AsSpan(i * targets, targets));
        Gemm.Multiply(false, false, f, targets, f, vectors, 0, projected, 0, result, 0, accumulate: false);
    }
}
