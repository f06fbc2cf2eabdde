using System.Runtime.InteropServices;

namespace Nabla.Bench;

/// <summary>
/// The comparison anchor for Nabla's GEMM: <c>cblas_sgemm</c> from OpenBLAS
/// (Debian's <c>libopenblas0-pthread</c>, <c>libopenblas.so.0</c>), called on the same row-major
/// arrays with the same transpose flags.
/// </summary>
public static unsafe class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly Lazy<bool> s_available = new(() =>
    {
        if (!NativeLibrary.TryLoad(Library, out nint handle))
            return false;
        bool found = NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _);
        NativeLibrary.Free(handle);
        return found;
    });

    /// <summary>True when <c>libopenblas.so.0</c> loads and exports <c>cblas_sgemm</c>.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>Sets the number of threads OpenBLAS uses for the following calls.</summary>
    public static void SetThreads(int threads) => openblas_set_num_threads(threads);

    /// <summary>C = op(A)·op(B), row-major, with the layout conventions of <c>Gemm.Multiply</c>.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k,
                1f, pa, transA ? m : k, pb, transB ? k : n, 0f, pc, n);
        }
    }

    [DllImport(Library)]
    private static extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [DllImport(Library)]
    private static extern void openblas_set_num_threads(int threads);
}
