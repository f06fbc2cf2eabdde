namespace Nabla.Estimators;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method: plane
/// rotations that zero one off-diagonal element at a time, sweep after sweep, until the
/// off-diagonal part is negligible.
/// </summary>
/// <remarks>
/// Jacobi is chosen over tridiagonal QR for its accuracy: each eigenvalue comes out with an error
/// of order ε‖A‖ (small ones included), which is what telling a rank-deficient Gram matrix from
/// a merely ill-conditioned one needs. It costs about 10 sweeps of O(n³): fine for the feature
/// counts of linear models, where the Gram matrix itself, O(N·n²), dominates.
/// </remarks>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Decomposes the symmetric row-major n × n matrix <paramref name="a"/> (overwritten) as
    /// V·diag(λ)·Vᵀ.
    /// </summary>
    /// <returns>The eigenvalues λ (unsorted) and the eigenvectors as the columns of the row-major n × n matrix V.</returns>
    public static (double[] Values, double[] Vectors) Decompose(double[] a, int n)
    {
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double total = 0;
        foreach (double x in a) total += x * x;
        for (int sweep = 0; sweep < MaxSweeps && OffDiagonal(a, n) > 1e-32 * total; sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    // The rotation angle that zeroes a[p, q]: t = tan φ is the smaller root of
                    // t² + 2θt − 1 = 0, so |φ| ≤ π/4 and the rotation disturbs the rest least.
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    RotateColumns(a, n, p, q, c, s);
                    RotateRows(a, n, p, q, c, s);
                    a[p * n + q] = a[q * n + p] = 0;
                    RotateColumns(v, n, p, q, c, s);
                }
            }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return (values, v);
    }

    private static double OffDiagonal(double[] a, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) sum += a[i * n + j] * a[i * n + j];
        return sum;
    }

    private static void RotateColumns(double[] m, int n, int p, int q, double c, double s)
    {
        for (int k = 0; k < n; k++)
        {
            double mp = m[k * n + p], mq = m[k * n + q];
            m[k * n + p] = c * mp - s * mq;
            m[k * n + q] = s * mp + c * mq;
        }
    }

    private static void RotateRows(double[] m, int n, int p, int q, double c, double s)
    {
        var rowP = m.AsSpan(p * n, n);
        var rowQ = m.AsSpan(q * n, n);
        for (int k = 0; k < n; k++)
        {
            double mp = rowP[k], mq = rowQ[k];
            rowP[k] = c * mp - s * mq;
            rowQ[k] = s * mp + c * mq;
        }
    }
}
