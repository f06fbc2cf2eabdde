namespace Nabla.Estimators;

/// <summary>
/// Solves min‖Y − X·W‖² + α‖W‖² for W (F × T), the minimum-norm solution when α = 0 and X is
/// rank-deficient: the solver behind <see cref="LinearRegression"/> and <see cref="Ridge"/>.
/// </summary>
/// <remarks>
/// <para>
/// The data is reduced by orthogonal transformations only, never through XᵀX (which squares the
/// condition number and loses half the digits): <see cref="TallSkinnyQr"/> turns
/// [X Y; √α·I 0] into its triangle, whose F × F block R and F × T block C = QᵀY leave the
/// problem min‖R·W − C‖. That pass over the N × F data is the whole cost for large N.
/// </para>
/// <para>
/// The small problem is solved by a complete orthogonal decomposition, as LAPACK's <c>gelsy</c>:
/// R·P = Q₂·R₂ with column pivoting; the rank r is the number of diagonal entries of R₂ above
/// max(N, F)·ε of the largest (NumPy's default cut-off for <c>lstsq</c>), the columns beyond it
/// being dependent on those before; the r leading rows S of R₂ are factorised once more,
/// Sᵀ = Q₃·R₃, and W = P·Q₃·R₃⁻ᵀ·(Q₂ᵀC)₁..ᵣ is the least-squares solution of least norm, the
/// one an SVD solver (scipy's <c>lstsq</c>, which scikit-learn uses) gives.
/// </para>
/// </remarks>
internal static class LeastSquares
{
    /// <summary>The gap between 1 and the next double, 2⁻⁵².</summary>
    private static readonly double MachineEpsilon = Math.ScaleB(1, -52);

    /// <summary>The weights W (row-major F × T) for the row-major data X (N × F) and targets Y (N × T).</summary>
    public static double[] Solve(DesignMatrix x, double[] y, int targets, double alpha)
    {
        int f = x.Columns, width = f + targets;
        var triangle = TallSkinnyQr.Triangle(x, y, targets, alpha);
        var r = new double[f * f];
        var rhs = new double[f * targets];
        for (int i = 0; i < f; i++)
        {
            Array.Copy(triangle, i * width, r, i * f, f);
            Array.Copy(triangle, i * width + f, rhs, i * targets, targets);
        }

        var pivoted = new HouseholderQr(r, f, f, pivot: true);
        pivoted.ApplyTranspose(rhs, targets);
        int rank = Rank(pivoted, Math.Max(x.Rows, f) * MachineEpsilon);

        // Sᵀ (F × r) for the r independent rows S of R₂, then Sᵀ = Q₃·R₃, so S = R₃ᵀ·Q₃ᵀ.
        var sTransposed = new double[f * rank];
        for (int i = 0; i < rank; i++)
            for (int j = i; j < f; j++) sTransposed[j * rank + i] = pivoted.R(i, j);
        var lq = new HouseholderQr(sTransposed, f, rank, pivot: false);

        // z = R₃⁻ᵀ·(Q₂ᵀC)₁..ᵣ by forward substitution, padded with zeros to F rows; then Q₃·z.
        var solution = new double[f * targets];
        for (int t = 0; t < targets; t++)
        {
            for (int i = 0; i < rank; i++)
            {
                double s = rhs[i * targets + t];
                for (int k = 0; k < i; k++) s -= lq.R(k, i) * solution[k * targets + t];
                solution[i * targets + t] = s / lq.R(i, i);
            }
        }
        lq.Apply(solution, targets);

        var weights = new double[f * targets];
        for (int j = 0; j < f; j++)
            Array.Copy(solution, j * targets, weights, pivoted.Permutation[j] * targets, targets);
        return weights;
    }

    /// <summary>How many leading diagonal entries of the pivoted R exceed <paramref name="cutoff"/> times the first.</summary>
    private static int Rank(HouseholderQr pivoted, double cutoff)
    {
        double largest = Math.Abs(pivoted.R(0, 0));
        int rank = 0;
        while (rank < pivoted.Columns && Math.Abs(pivoted.R(rank, rank)) > cutoff * largest) rank++;
        return rank;
    }
}
