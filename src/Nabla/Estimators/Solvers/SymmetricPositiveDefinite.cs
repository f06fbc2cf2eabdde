namespace Nabla.Estimators;

/// <summary>Small dense solves of A·x = b for symmetric positive definite A, by Cholesky factorisation.</summary>
internal static class SymmetricPositiveDefinite
{
    /// <summary>
    /// Solves A·x = b in place: <paramref name="a"/> (n×n, row-major; only its lower triangle is read)
    /// is overwritten by its Cholesky factor L, <paramref name="b"/> by x.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite (a pivot is not positive).</exception>
    public static void Solve(double[] a, double[] b, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j * n + j];
            for (int k = 0; k < j; k++) diagonal -= a[j * n + k] * a[j * n + k];
            if (!(diagonal > 0)) throw new ArgumentException($"The matrix is not positive definite (pivot {j} is {diagonal}).");
            double l = Math.Sqrt(diagonal);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
        for (int i = 0; i < n; i++)            // L·y = b
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= a[i * n + k] * b[k];
            b[i] = s / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)       // Lᵀ·x = y
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
            b[i] = s / a[i * n + i];
        }
    }
}
