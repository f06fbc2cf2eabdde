using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>Small dense solves of A·x = b for symmetric positive definite A, by Cholesky factorisation.</summary>
internal static class SymmetricPositiveDefinite
{
    /// <summary>
    /// Solves A·x = b in place: <paramref name="a"/> (n×n, row-major; only its lower triangle is read)
    /// is overwritten by its Cholesky factor L, <paramref name="b"/> by x.
    /// </summary>
    /// <remarks>
    /// Column by column, each entry a dot product of two contiguous row prefixes of L:
    /// L[j, j] = √(A[j, j] − ‖L[j, :j]‖²), then L[i, j] = (A[i, j] − L[i, :j]·L[j, :j]) / L[j, j] for
    /// every i &gt; j. The entries of one column do not depend on each other, so four rows are taken
    /// at once (<see cref="ShortDot.Dot4"/>): L[j, :j] is loaded once for four products, and four
    /// chains of multiply-adds hide each other's latency. Row by row instead, each entry would wait
    /// for the one before it. A matrix-factorization fit solves thousands of these systems (k + 1 = 65
    /// unknowns: about 10 µs here, against 45 µs for one library dot product call at a time).
    /// </remarks>
    /// <exception cref="ArgumentException">A is not positive definite (a pivot is not positive).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> holds fewer than n² values or <paramref name="b"/> fewer than n.</exception>
    public static void Solve(double[] a, double[] b, int n)
    {
        // The loops below read through references without bounds checks: the lengths are checked here, once.
        ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, n * n);
        ArgumentOutOfRangeException.ThrowIfLessThan(b.Length, n);
        ref double start = ref MemoryMarshal.GetArrayDataReference(a);
        for (int j = 0; j < n; j++)
        {
            ref double rowJ = ref Unsafe.Add(ref start, j * n);
            double diagonal = a[j * n + j] - ShortDot.Dot(ref rowJ, ref rowJ, j);
            if (!(diagonal > 0))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The matrix is not positive definite (pivot {j} is {diagonal})."));
            double pivot = a[j * n + j] = Math.Sqrt(diagonal);
            int i = j + 1;
            for (; i <= n - 4; i += 4)
            {
                var (s0, s1, s2, s3) = ShortDot.Dot4(ref Unsafe.Add(ref start, i * n), n, ref rowJ, j);
                a[i * n + j] = (a[i * n + j] - s0) / pivot;
                a[(i + 1) * n + j] = (a[(i + 1) * n + j] - s1) / pivot;
                a[(i + 2) * n + j] = (a[(i + 2) * n + j] - s2) / pivot;
                a[(i + 3) * n + j] = (a[(i + 3) * n + j] - s3) / pivot;
            }
            for (; i < n; i++)
                a[i * n + j] = (a[i * n + j] - ShortDot.Dot(ref Unsafe.Add(ref start, i * n), ref rowJ, j)) / pivot;
        }
        for (int i = 0; i < n; i++)            // L·y = b
            b[i] = (b[i] - ShortDot.Dot(ref Unsafe.Add(ref start, i * n), ref MemoryMarshal.GetArrayDataReference(b), i)) / a[i * n + i];
        for (int i = n - 1; i >= 0; i--)       // Lᵀ·x = y
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
            b[i] = s / a[i * n + i];
        }
    }
}
