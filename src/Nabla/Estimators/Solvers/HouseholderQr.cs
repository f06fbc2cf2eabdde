namespace Nabla.Estimators;

/// <summary>
/// The QR factorisation A·P = Q·R of a small dense matrix by Householder reflections, with
/// column pivoting on request (LAPACK's <c>geqp3</c>): at each step the remaining column of largest
/// norm comes first, so the diagonal of R decreases and reveals the numerical rank.
/// </summary>
/// <remarks>
/// Meant for the F × F matrices of <see cref="LeastSquares"/> (F features), where O(F³) work is
/// negligible: column norms are recomputed at each step rather than downdated, which is exact.
/// The factorisation is stored in place, as LAPACK does: R on and above the diagonal, each
/// reflector's vector (its leading 1 implied) below it.
/// </remarks>
internal sealed class HouseholderQr
{
    private readonly double[] _a;
    private readonly double[] _tau;

    /// <summary>Factorises the row-major <paramref name="rows"/> × <paramref name="columns"/> matrix <paramref name="a"/>, which it overwrites.</summary>
    public HouseholderQr(double[] a, int rows, int columns, bool pivot)
    {
        (_a, Rows, Columns) = (a, rows, columns);
        int steps = Math.Min(rows, columns);
        _tau = new double[steps];
        Permutation = [.. Enumerable.Range(0, columns)];
        for (int k = 0; k < steps; k++)
        {
            if (pivot) SwapColumns(k, LargestColumn(k));
            Reflect(k);
        }
    }

    /// <summary>The number of rows of A.</summary>
    public int Rows { get; }

    /// <summary>The number of columns of A.</summary>
    public int Columns { get; }

    /// <summary>Column j of A·P is column <c>Permutation[j]</c> of A.</summary>
    public int[] Permutation { get; }

    /// <summary>R[i, j] (i ≤ j).</summary>
    public double R(int i, int j) => _a[i * Columns + j];

    /// <summary>Replaces the row-major Rows × <paramref name="width"/> matrix <paramref name="b"/> by Qᵀ·b.</summary>
    public void ApplyTranspose(double[] b, int width)
    {
        for (int k = 0; k < _tau.Length; k++) ApplyReflector(k, b, width);
    }

    /// <summary>Replaces the row-major Rows × <paramref name="width"/> matrix <paramref name="b"/> by Q·b.</summary>
    public void Apply(double[] b, int width)
    {
        for (int k = _tau.Length - 1; k >= 0; k--) ApplyReflector(k, b, width);
    }

    /// <summary>The remaining column (k or after) of largest norm below row k.</summary>
    private int LargestColumn(int k)
    {
        int best = k;
        double largest = -1;
        for (int j = k; j < Columns; j++)
        {
            double norm = 0;
            for (int i = k; i < Rows; i++) norm += _a[i * Columns + j] * _a[i * Columns + j];
            if (norm > largest) (largest, best) = (norm, j);
        }
        return best;
    }

    private void SwapColumns(int p, int q)
    {
        if (p == q) return;
        for (int i = 0; i < Rows; i++) (_a[i * Columns + p], _a[i * Columns + q]) = (_a[i * Columns + q], _a[i * Columns + p]);
        (Permutation[p], Permutation[q]) = (Permutation[q], Permutation[p]);
    }

    /// <summary>The reflector that zeroes column k below the diagonal (LAPACK's <c>dlarfg</c>), applied to the columns after k.</summary>
    private void Reflect(int k)
    {
        double sigma = 0;
        for (int i = k + 1; i < Rows; i++) sigma += _a[i * Columns + k] * _a[i * Columns + k];
        if (sigma == 0) return;   // already triangular in this column: τ = 0, H = I
        double diagonal = _a[k * Columns + k];
        double beta = -Math.CopySign(Math.Sqrt(diagonal * diagonal + sigma), diagonal);
        _tau[k] = (beta - diagonal) / beta;
        double scale = 1 / (diagonal - beta);
        for (int i = k + 1; i < Rows; i++) _a[i * Columns + k] *= scale;
        _a[k * Columns + k] = beta;
        for (int j = k + 1; j < Columns; j++)
        {
            double w = _a[k * Columns + j];
            for (int i = k + 1; i < Rows; i++) w += _a[i * Columns + k] * _a[i * Columns + j];
            w *= _tau[k];
            _a[k * Columns + j] -= w;
            for (int i = k + 1; i < Rows; i++) _a[i * Columns + j] -= w * _a[i * Columns + k];
        }
    }

    /// <summary>b ← H_k·b for the reflector H_k = I − τ_k·v·vᵀ (symmetric, so the same for Q and Qᵀ).</summary>
    private void ApplyReflector(int k, double[] b, int width)
    {
        double tau = _tau[k];
        if (tau == 0) return;
        for (int t = 0; t < width; t++)
        {
            double w = b[k * width + t];
            for (int i = k + 1; i < Rows; i++) w += _a[i * Columns + k] * b[i * width + t];
            w *= tau;
            b[k * width + t] -= w;
            for (int i = k + 1; i < Rows; i++) b[i * width + t] -= w * _a[i * Columns + k];
        }
    }
}
