namespace Nabla.Kernels;

/// <summary>General matrix multiply, C = op(A)·op(B) (+ C), for row-major Float32 and Float64.</summary>
internal static class Gemm
{
    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n], or C += … when <paramref name="accumulate"/> is set.
    /// A is stored row-major as m×k (k×m when <paramref name="transA"/>), B as k×n (n×k when
    /// <paramref name="transB"/>), C as m×n; each starts at its offset in its array.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, bool accumulate)
        => throw new NotImplementedException();

    /// <inheritdoc cref="Multiply(bool, bool, int, int, int, float[], int, float[], int, float[], int, bool)"/>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, bool accumulate)
        => throw new NotImplementedException();
}
