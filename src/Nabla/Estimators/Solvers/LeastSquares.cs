using System.Globalization;
using Nabla.Data;

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
/// The rank comes from a QR factorisation of R with column pivoting, R·P = Q₂·R₂: it is the
/// number of diagonal entries of R₂ above max(N, F)·ε of the largest (NumPy's default cut-off for
/// <c>lstsq</c>). At full rank, W = R⁻¹·C by back substitution, as a plain QR solver. Below it,
/// the columns beyond the rank being dependent on those before, a complete orthogonal
/// decomposition (LAPACK's <c>gelsy</c>) gives the least-squares solution of least norm, the one
/// an SVD solver (scipy's <c>lstsq</c>, which scikit-learn uses) gives: the r leading rows S of R₂
/// are factorised once more, Sᵀ = Q₃·R₃, and W = P·Q₃·R₃⁻ᵀ·(Q₂ᵀC)₁..ᵣ. (Pivoting alone changes
/// the rounding: on a problem of condition 1e10 it moves the answer by 1e-6 relative, the size of
/// the problem's own sensitivity, where the unpivoted solve agrees with SVD to 1e-10.)
/// </para>
/// </remarks>
internal static class LeastSquares
{
    /// <summary>The gap between 1 and the next double, 2⁻⁵².</summary>
    private static readonly double MachineEpsilon = Math.ScaleB(1, -52);

    /// <summary>
    /// The weights W (row-major F × T) for the row-major data X (N × F) and targets Y (N × T), whose
    /// rows may be split into <paramref name="blocks"/>: each block's triangle is computed where its
    /// rows are, and the triangles are merged in block order, the same on every worker.
    /// </summary>
    /// <param name="x">This block's rows of X.</param>
    /// <param name="y">This block's rows of Y.</param>
    /// <param name="targets">T.</param>
    /// <param name="alpha">The penalty α (0 for none).</param>
    /// <param name="blocks">How the rows are split; <see cref="SampleBlocks.Whole"/> in one process.</param>
    /// <param name="rows">N, the rows of all the blocks together.</param>
    /// <exception cref="InsufficientMemoryException">The F × F factorisations of so many features would need more than half the memory this process may use.</exception>
    public static double[] Solve(DesignMatrix x, double[] y, int targets, double alpha, SampleBlocks blocks, long rows)
    {
        int f = x.Columns, width = f + targets;
        RequireMemory(f, width);
        var triangles = blocks.Gather(TallSkinnyQr.Triangle(x, y, targets));
        var triangle = triangles[0];
        for (int b = 1; b < triangles.Length; b++) TallSkinnyQr.Merge(triangle, triangles[b], width);
        TallSkinnyQr.AddPenalty(triangle, f, targets, alpha);
        int m = NonZeroRows(triangle, f, width, alpha == 0 ? (int)Math.Min(rows, f) : f);
        var r = new double[m * f];
        var rhs = new double[m * targets];
        for (int i = 0; i < m; i++)
        {
            Array.Copy(triangle, i * width, r, i * f, f);
            Array.Copy(triangle, i * width + f, rhs, i * targets, targets);
        }

        var pivoted = new HouseholderQr((double[])r.Clone(), m, f, pivot: true);
        int rank = Rank(pivoted, Math.Max(rows, f) * MachineEpsilon);
        return rank == f ? BackSubstitute(r, rhs, f, targets) : MinimumNorm(pivoted, rank, rhs, targets);
    }

    /// <summary>
    /// Refuses a problem whose square factorisations cannot be held: the triangle ((F + T)²), R and its
    /// pivoted copy (F² each) grow with the square of the features, whatever the rows, so a table of a
    /// few rows and 100,000 columns would ask for 240 GB. Checked before anything is allocated.
    /// </summary>
    private static void RequireMemory(int f, int width)
    {
        double bytes = 3.0 * width * width * sizeof(double);
        long allowed = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        if ((long)width * width <= Array.MaxLength && bytes <= allowed) return;
        throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
            $"least squares on {f:N0} features needs {bytes / (1L << 30):N1} GB for its {width:N0} × {width:N0} factorisations, more than the {allowed / (double)(1L << 30):N1} GB (half this process's memory) it may take; fit fewer features."));
    }

    /// <summary>The solution of R·W = C for the full-rank upper-triangular R (F × F), row-major C (F × T), as plain QR solves it.</summary>
    private static double[] BackSubstitute(double[] r, double[] rhs, int f, int targets)
    {
        var weights = new double[f * targets];
        for (int t = 0; t < targets; t++)
        {
            for (int i = f - 1; i >= 0; i--)
            {
                double s = rhs[i * targets + t];
                for (int k = i + 1; k < f; k++) s -= r[i * f + k] * weights[k * targets + t];
                weights[i * targets + t] = s / r[i * f + i];
            }
        }
        return weights;
    }

    /// <summary>The least-norm W minimising ‖R·W − C‖ from the pivoted factorisation R·P = Q₂·R₂ of rank <paramref name="rank"/>.</summary>
    private static double[] MinimumNorm(HouseholderQr pivoted, int rank, double[] rhs, int targets)
    {
        int f = pivoted.Columns;
        pivoted.ApplyTranspose(rhs, targets);

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

    /// <summary>
    /// The rows of R worth factorising: all F, unless the data has fewer rows N than features (and no
    /// penalty adds rows), when the triangle's rows below the N-th hold only rounding (about 1e-13 of
    /// the rest). Those fall below the rank's cut-off whatever the pivoting, so factorising only the N
    /// others gives the same solution at O(N²F) instead of O(F³). A triangle whose lower rows are more
    /// than rounding is factorised whole.
    /// </summary>
    private static int NonZeroRows(double[] triangle, int f, int width, int rows)
    {
        if (rows >= f) return f;
        double largest = 0;
        for (int i = 0; i < rows * width; i++) largest = Math.Max(largest, Math.Abs(triangle[i]));
        double rounding = Math.Max(rows, f) * MachineEpsilon * largest;
        for (int i = rows; i < f; i++)
            for (int j = i; j < width; j++)
                if (Math.Abs(triangle[i * width + j]) > rounding) return f;
        return rows;
    }

    /// <summary>How many leading diagonal entries of the pivoted R exceed <paramref name="cutoff"/> times the first.</summary>
    private static int Rank(HouseholderQr pivoted, double cutoff)
    {
        double largest = Math.Abs(pivoted.R(0, 0));
        int rank = 0;
        while (rank < Math.Min(pivoted.Rows, pivoted.Columns) && Math.Abs(pivoted.R(rank, rank)) > cutoff * largest) rank++;
        return rank;
    }
}
