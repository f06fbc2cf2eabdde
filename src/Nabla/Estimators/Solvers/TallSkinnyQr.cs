using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// The triangular factor R of the QR factorisation of a tall matrix, computed without ever
/// storing Q: the reduction behind <see cref="LeastSquares"/>.
/// </summary>
/// <remarks>
/// <para>
/// The matrix reduced is A = [X Y] (N × (F + T)), with F more rows √α·[I 0] appended when
/// α &gt; 0. Since Qᵀ is orthogonal, ‖Y − X·W‖² + α‖W‖² = ‖R₁₁·W − R₁₂‖² + ‖R₂₂‖², so the
/// F × F block R₁₁ and the F × T block R₁₂ = QᵀY are all the least-squares solve needs.
/// </para>
/// <para>
/// The rows are split into chunks of a fixed size (a tall-skinny QR): each chunk is folded into its
/// own triangle, block of rows after block, by Householder reflections that keep the triangle's
/// structure (the reflector of column k touches only row k of the triangle and the block, LAPACK's
/// <c>tpqrt</c>), and the chunks' triangles are then folded into the first, in order. Chunks run in
/// parallel; their number and the order of the merge never depend on the thread count, so neither
/// does the result. A block is held transposed, so each reflection is a dot product and an axpy
/// over contiguous columns of the block, which stays in the cache.
/// </para>
/// </remarks>
internal static class TallSkinnyQr
{
    /// <summary>Rows reflected together: the transposed block, (F + T) × 128 doubles, stays in the L2 cache.</summary>
    private const int BlockRows = 128;

    /// <summary>Rows one parallel task folds into its own triangle; fixed, so results never depend on the thread count.</summary>
    private const int ChunkRows = 16384;

    /// <summary>The row-major upper-triangular R ((F + T) × (F + T)) of [X Y] alone; zero when X has no rows.</summary>
    public static double[] Triangle(DesignMatrix x, double[] y, int targets)
    {
        int width = x.Columns + targets;
        int chunks = Math.Max(1, (x.Rows + ChunkRows - 1) / ChunkRows);
        var triangles = new double[chunks][];
        Parallelism.For(chunks, c => triangles[c] = ReduceRows(x, y, targets, c * ChunkRows, Math.Min(x.Rows, (c + 1) * ChunkRows)));
        for (int c = 1; c < chunks; c++) Merge(triangles[0], triangles[c], width);
        return triangles[0];
    }

    /// <summary>Replaces the upper-triangular <paramref name="r"/> (width × width) by the triangle of [r; other], <paramref name="other"/> being upper-triangular too.</summary>
    public static void Merge(double[] r, double[] other, int width)
    {
        // The other triangle is itself a block of `width` rows to fold in.
        var block = new double[width * width];
        for (int i = 0; i < width; i++)
            for (int j = i; j < width; j++) block[j * width + i] = other[i * width + j];
        FoldBlock(r, width, block, width);
    }

    /// <summary>Folds the penalty rows √α·eᵢ of the <paramref name="features"/> features into <paramref name="r"/> (targets get no penalty); nothing when α = 0.</summary>
    public static void AddPenalty(double[] r, int features, int targets, double alpha)
    {
        if (alpha <= 0) return;
        var block = new double[(features + targets) * features];
        double root = Math.Sqrt(alpha);
        for (int i = 0; i < features; i++) block[i * features + i] = root;
        FoldBlock(r, features + targets, block, features);
    }

    /// <summary>The triangle of rows [start, end) of [X Y].</summary>
    private static double[] ReduceRows(DesignMatrix x, double[] y, int targets, int start, int end)
    {
        int features = x.Columns, width = features + targets;
        var r = new double[width * width];
        var block = new double[width * BlockRows];
        for (int first = start; first < end; first += BlockRows)
        {
            int rows = Math.Min(BlockRows, end - first);
            for (int i = 0; i < rows; i++)
            {
                var dataRow = x.Values.AsSpan((first + i) * features, features);
                for (int j = 0; j < features; j++) block[j * rows + i] = dataRow[j];
                for (int t = 0; t < targets; t++) block[(features + t) * rows + i] = y[(first + i) * targets + t];
            }
            FoldBlock(r, width, block, rows);
        }
        return r;
    }

    /// <summary>
    /// Replaces the upper-triangular <paramref name="r"/> (width × width) by the triangle of
    /// [r; B], where B is the block of <paramref name="rows"/> rows stored transposed in
    /// <paramref name="block"/> (column j of B at [j·rows, (j + 1)·rows)). The block is overwritten.
    /// </summary>
    private static void FoldBlock(double[] r, int width, double[] block, int rows)
    {
        for (int k = 0; k < width; k++)
        {
            var v = block.AsSpan(k * rows, rows);
            double sigma = TensorPrimitives.Dot<double>(v, v);
            if (sigma == 0) continue;   // column k of the block is already zero: nothing to reflect
            // LAPACK's dlarfg: H = I − τ·[1; v]·[1; v]ᵀ maps (r[k, k], column k of B) to (β, 0).
            double diagonal = r[k * width + k];
            double beta = -Math.CopySign(Math.Sqrt(diagonal * diagonal + sigma), diagonal);
            double tau = (beta - diagonal) / beta;
            TensorPrimitives.Multiply(v, 1 / (diagonal - beta), v);
            r[k * width + k] = beta;
            for (int j = k + 1; j < width; j++)
            {
                var column = block.AsSpan(j * rows, rows);
                double w = tau * (r[k * width + j] + TensorPrimitives.Dot<double>(v, column));
                r[k * width + j] -= w;
                TensorPrimitives.MultiplyAdd(v, -w, column, column);
            }
        }
    }
}
