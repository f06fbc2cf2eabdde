using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Float64 products of a tall matrix X, read where it lies, with a narrow operand of a few
/// columns (a linear model's K classes): the scores C = X·P and the gradient C += Gᵀ·X.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Gemm"/> copies all of X into packed panels for every product, and with K = 10 output
/// columns fills its micro-tiles only partly. Here X is never copied and either call takes any
/// block of its rows, so a caller can score a block, turn the scores into that block's score
/// gradient and add the block's share of Gᵀ·X while the block is still in cache: X then comes
/// from memory once per evaluation instead of twice, packing included four times.
/// </para>
/// <para>
/// <see cref="MultiplyPanel"/> keeps a 4-row × 12-column tile of C in 12 ymm accumulators: per
/// step of the shared dimension, four broadcasts of X, three vector loads of the panel and 12
/// FMAs. <see cref="AddTransposedProduct"/> keeps up to 6 rows of C (classes) × 8 columns
/// (features): per row of X, two vector loads of X, one broadcast of G per class, up to 12 FMAs.
/// </para>
/// <para>
/// Each element of C is one chain of multiply-adds in the order of the shared dimension, continued
/// from the value already in C where a call adds to it, so the result does not depend on the tile
/// or the depth block an element falls in. Without AVX2 and FMA a plain loop computes the same sums
/// with separate multiplies and adds.
/// </para>
/// </remarks>
internal static unsafe class NarrowGemm
{
    /// <summary>Values per vector: the panel's width is a multiple of it.</summary>
    public static int Lanes => Vector256<double>.Count;

    /// <summary>Steps of the shared dimension per sweep over the panel: a 256 × 12 slice of it (24 KB) stays in L1 while every row tile of the block uses it.</summary>
    private const int DepthBlock = 256;

    /// <summary>Rows of a scores tile, and vectors of its columns (4 × 3 accumulators + 3 panel vectors + 1 broadcast = 16 ymm).</summary>
    private const int ScoreRows = 4, ScoreVectors = 3;

    /// <summary>Most rows of C (classes) in a gradient tile: 6 × 2 accumulators + 2 vectors of X + 1 broadcast = 15 ymm.</summary>
    private const int GradientRows = 6;

    private static bool Vectorized => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary><paramref name="columns"/> rounded up to whole vectors: the width of a panel that holds that many columns.</summary>
    public static int PaddedWidth(int columns) => (columns + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// c[i·width + j] = Σₚ x[i·ldx + p]·panel[p·width + j] for i &lt; rows, j &lt; width, p &lt; depth:
    /// rows of X (row stride <paramref name="ldx"/>) times a panel P (depth × width, row-major,
    /// width a multiple of <see cref="Lanes"/>; zero columns beyond the real ones give zero scores).
    /// </summary>
    /// <exception cref="ArgumentException">An operand is too short for the shape, or the width is not a whole number of vectors.</exception>
    public static void MultiplyPanel(ReadOnlySpan<double> x, int ldx, int rows, int depth, ReadOnlySpan<double> panel, int width, Span<double> c)
    {
        if (width % Lanes != 0)
            throw new ArgumentException($"NarrowGemm.MultiplyPanel: the panel's width must be a multiple of {Lanes}, got {width}.", nameof(width));
        CheckLength(x.Length, rows, ldx, depth, nameof(x));
        CheckLength(panel.Length, depth, width, width, nameof(panel));
        CheckLength(c.Length, rows, width, width, nameof(c));
        if (rows == 0)
            return;
        if (depth == 0)
        {
            c[..(rows * width)].Clear();
            return;
        }
        if (!Vectorized)
        {
            MultiplyPanelScalar(x, ldx, rows, depth, panel, width, c);
            return;
        }
        fixed (double* px = x, pp = panel, pc = c)
            MultiplyPanelVectors(px, ldx, rows, depth, pp, width, pc);
    }

    /// <summary>
    /// c[r·ldc + j] += Σᵢ g[i·ldg + r]·x[i·ldx + j] for r &lt; narrow, j &lt; columns, i &lt; rows:
    /// Gᵀ·X for G of <paramref name="narrow"/> columns (row stride <paramref name="ldg"/>) and X of
    /// <paramref name="columns"/> columns, added to C (narrow × columns, row stride <paramref name="ldc"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An operand is too short for the shape.</exception>
    public static void AddTransposedProduct(ReadOnlySpan<double> g, int ldg, int narrow, ReadOnlySpan<double> x, int ldx, int rows, int columns, Span<double> c, int ldc)
    {
        CheckLength(g.Length, rows, ldg, narrow, nameof(g));
        CheckLength(x.Length, rows, ldx, columns, nameof(x));
        CheckLength(c.Length, narrow, ldc, columns, nameof(c));
        if (rows == 0 || narrow == 0)
            return;
        if (!Vectorized)
        {
            AddTransposedProductScalar(g, ldg, narrow, x, ldx, rows, columns, c, ldc);
            return;
        }
        fixed (double* pg = g, px = x, pc = c)
            AddTransposedProductVectors(pg, ldg, narrow, px, ldx, rows, columns, pc, ldc);
    }

    /// <summary>Throws unless an operand of <paramref name="length"/> values holds <paramref name="rows"/> rows of <paramref name="used"/> values at stride <paramref name="stride"/>.</summary>
    private static void CheckLength(int length, int rows, int stride, int used, string name)
    {
        if (rows < 0 || used < 0 || stride < used)
            throw new ArgumentException($"NarrowGemm: operand {name} has {rows} rows of {used} values at stride {stride}, which is not a valid layout.", name);
        long needed = rows == 0 ? 0 : (long)(rows - 1) * stride + used;
        if (needed > length)
            throw new ArgumentException($"NarrowGemm: operand {name} needs {needed} values ({rows} rows of {used} at stride {stride}), but has {length}.", name);
    }

    private static void MultiplyPanelVectors(double* x, nint ldx, int rows, int depth, double* panel, int width, double* c)
    {
        for (int p0 = 0; p0 < depth; p0 += DepthBlock)
        {
            int steps = Math.Min(DepthBlock, depth - p0);
            bool add = p0 > 0;
            for (int i = 0; i < rows; i += ScoreRows)
            {
                int tileRows = Math.Min(ScoreRows, rows - i);
                for (int j = 0; j < width; j += ScoreVectors * Lanes)
                {
                    int vectors = Math.Min(ScoreVectors, (width - j) / Lanes);
                    double* tileX = x + i * ldx + p0, tileP = panel + (nint)p0 * width + j, tileC = c + (nint)i * width + j;
                    switch (vectors)
                    {
                        case 3: ScoreRowsOf<GemmCount3>(tileRows, steps, tileX, ldx, tileP, width, tileC, add); break;
                        case 2: ScoreRowsOf<GemmCount2>(tileRows, steps, tileX, ldx, tileP, width, tileC, add); break;
                        default: ScoreRowsOf<GemmCount1>(tileRows, steps, tileX, ldx, tileP, width, tileC, add); break;
                    }
                }
            }
        }
    }

    private static void AddTransposedProductVectors(double* g, nint ldg, int narrow, double* x, nint ldx, int rows, int columns, double* c, nint ldc)
    {
        // Even tiles (10 classes as 5 + 5, not 6 + 4), so each broadcast feeds as many FMAs as it can.
        int tiles = (narrow + GradientRows - 1) / GradientRows;
        int tileRows = (narrow + tiles - 1) / tiles;
        int w = Lanes, j = 0;
        // Column strip outermost: its rows of X (8 values each) stay in L1 for every class tile.
        for (; j + 2 * w <= columns; j += 2 * w)
            for (int r = 0; r < narrow; r += tileRows)
                GradientRowsOf<GemmCount2>(Math.Min(tileRows, narrow - r), rows, g + r, ldg, x + j, ldx, c + r * ldc + j, ldc);
        if (j + w <= columns)
        {
            for (int r = 0; r < narrow; r += tileRows)
                GradientRowsOf<GemmCount1>(Math.Min(tileRows, narrow - r), rows, g + r, ldg, x + j, ldx, c + r * ldc + j, ldc);
            j += w;
        }
        for (; j < columns; j++)
            for (int r = 0; r < narrow; r++)
            {
                double sum = c[r * ldc + j];
                for (int i = 0; i < rows; i++) sum = Math.FusedMultiplyAdd(g[i * ldg + r], x[i * ldx + j], sum);
                c[r * ldc + j] = sum;
            }
    }

    /// <summary><see cref="MultiplyPanel"/> without vectors: what machines without AVX2 and FMA run (internal so that tests drive it on any machine).</summary>
    internal static void MultiplyPanelScalar(ReadOnlySpan<double> x, int ldx, int rows, int depth, ReadOnlySpan<double> panel, int width, Span<double> c)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < width; j++)
            {
                double sum = 0;
                for (int p = 0; p < depth; p++) sum += x[i * ldx + p] * panel[p * width + j];
                c[i * width + j] = sum;
            }
    }

    /// <summary><see cref="AddTransposedProduct"/> without vectors (internal so that tests drive it on any machine).</summary>
    internal static void AddTransposedProductScalar(ReadOnlySpan<double> g, int ldg, int narrow, ReadOnlySpan<double> x, int ldx, int rows, int columns, Span<double> c, int ldc)
    {
        for (int r = 0; r < narrow; r++)
            for (int j = 0; j < columns; j++)
            {
                double sum = c[r * ldc + j];
                for (int i = 0; i < rows; i++) sum += g[i * ldg + r] * x[i * ldx + j];
                c[r * ldc + j] = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreRowsOf<TVecs>(int rows, int steps, double* x, nint ldx, double* panel, int width, double* c, bool add)
        where TVecs : struct, IGemmCount
    {
        switch (rows)
        {
            case 4: ScoreTile<GemmCount4, TVecs>(steps, x, ldx, panel, width, c, add); break;
            case 3: ScoreTile<GemmCount3, TVecs>(steps, x, ldx, panel, width, c, add); break;
            case 2: ScoreTile<GemmCount2, TVecs>(steps, x, ldx, panel, width, c, add); break;
            default: ScoreTile<GemmCount1, TVecs>(steps, x, ldx, panel, width, c, add); break;
        }
    }

    /// <summary>A TRows × (TVecs vectors) tile of C: cRV = C[R, V·W ..], one broadcast of X[R, p] per row and step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreTile<TRows, TVecs>(int steps, double* x, nint ldx, double* panel, int width, double* c, bool add)
        where TRows : struct, IGemmCount where TVecs : struct, IGemmCount
    {
        int w = Lanes;
        nint ldc = width;
        Vector256<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        if (add)
        {
            Load<TVecs>(c, w, out c00, out c01, out c02);
            if (TRows.Value > 1) Load<TVecs>(c + ldc, w, out c10, out c11, out c12);
            if (TRows.Value > 2) Load<TVecs>(c + 2 * ldc, w, out c20, out c21, out c22);
            if (TRows.Value > 3) Load<TVecs>(c + 3 * ldc, w, out c30, out c31, out c32);
        }
        double* x0 = x, x1 = x + ldx, x2 = x + 2 * ldx, x3 = x + 3 * ldx;
        for (int p = 0; p < steps; p++)
        {
            Vector256<double> b0 = Vector256.Load(panel);
            Vector256<double> b1 = TVecs.Value > 1 ? Vector256.Load(panel + w) : default;
            Vector256<double> b2 = TVecs.Value > 2 ? Vector256.Load(panel + 2 * w) : default;
            Vector256<double> a;
            { a = Vector256.Create(x0[p]); c00 = Fma.MultiplyAdd(a, b0, c00); if (TVecs.Value > 1) c01 = Fma.MultiplyAdd(a, b1, c01); if (TVecs.Value > 2) c02 = Fma.MultiplyAdd(a, b2, c02); }
            if (TRows.Value > 1) { a = Vector256.Create(x1[p]); c10 = Fma.MultiplyAdd(a, b0, c10); if (TVecs.Value > 1) c11 = Fma.MultiplyAdd(a, b1, c11); if (TVecs.Value > 2) c12 = Fma.MultiplyAdd(a, b2, c12); }
            if (TRows.Value > 2) { a = Vector256.Create(x2[p]); c20 = Fma.MultiplyAdd(a, b0, c20); if (TVecs.Value > 1) c21 = Fma.MultiplyAdd(a, b1, c21); if (TVecs.Value > 2) c22 = Fma.MultiplyAdd(a, b2, c22); }
            if (TRows.Value > 3) { a = Vector256.Create(x3[p]); c30 = Fma.MultiplyAdd(a, b0, c30); if (TVecs.Value > 1) c31 = Fma.MultiplyAdd(a, b1, c31); if (TVecs.Value > 2) c32 = Fma.MultiplyAdd(a, b2, c32); }
            panel += width;
        }
        Store<TVecs>(c, w, c00, c01, c02);
        if (TRows.Value > 1) Store<TVecs>(c + ldc, w, c10, c11, c12);
        if (TRows.Value > 2) Store<TVecs>(c + 2 * ldc, w, c20, c21, c22);
        if (TRows.Value > 3) Store<TVecs>(c + 3 * ldc, w, c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientRowsOf<TVecs>(int tileRows, int rows, double* g, nint ldg, double* x, nint ldx, double* c, nint ldc)
        where TVecs : struct, IGemmCount
    {
        switch (tileRows)
        {
            case 6: GradientTile<GemmCount6, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
            case 5: GradientTile<GemmCount5, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
            case 4: GradientTile<GemmCount4, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
            case 3: GradientTile<GemmCount3, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
            case 2: GradientTile<GemmCount2, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
            default: GradientTile<GemmCount1, TVecs>(rows, g, ldg, x, ldx, c, ldc); break;
        }
    }

    /// <summary>A TRows × (TVecs vectors) tile of C = C + Gᵀ·X: cRV = C[R, V·W ..], one broadcast of G[i, R] per row of X.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTile<TRows, TVecs>(int rows, double* g, nint ldg, double* x, nint ldx, double* c, nint ldc)
        where TRows : struct, IGemmCount where TVecs : struct, IGemmCount
    {
        int w = Lanes;
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Load<TVecs>(c, w, out c00, out c01, out _);
        if (TRows.Value > 1) Load<TVecs>(c + ldc, w, out c10, out c11, out _);
        if (TRows.Value > 2) Load<TVecs>(c + 2 * ldc, w, out c20, out c21, out _);
        if (TRows.Value > 3) Load<TVecs>(c + 3 * ldc, w, out c30, out c31, out _);
        if (TRows.Value > 4) Load<TVecs>(c + 4 * ldc, w, out c40, out c41, out _);
        if (TRows.Value > 5) Load<TVecs>(c + 5 * ldc, w, out c50, out c51, out _);
        for (int i = 0; i < rows; i++)
        {
            Vector256<double> b0 = Vector256.Load(x);
            Vector256<double> b1 = TVecs.Value > 1 ? Vector256.Load(x + w) : default;
            Vector256<double> a;
            { a = Vector256.Create(g[0]); c00 = Fma.MultiplyAdd(a, b0, c00); if (TVecs.Value > 1) c01 = Fma.MultiplyAdd(a, b1, c01); }
            if (TRows.Value > 1) { a = Vector256.Create(g[1]); c10 = Fma.MultiplyAdd(a, b0, c10); if (TVecs.Value > 1) c11 = Fma.MultiplyAdd(a, b1, c11); }
            if (TRows.Value > 2) { a = Vector256.Create(g[2]); c20 = Fma.MultiplyAdd(a, b0, c20); if (TVecs.Value > 1) c21 = Fma.MultiplyAdd(a, b1, c21); }
            if (TRows.Value > 3) { a = Vector256.Create(g[3]); c30 = Fma.MultiplyAdd(a, b0, c30); if (TVecs.Value > 1) c31 = Fma.MultiplyAdd(a, b1, c31); }
            if (TRows.Value > 4) { a = Vector256.Create(g[4]); c40 = Fma.MultiplyAdd(a, b0, c40); if (TVecs.Value > 1) c41 = Fma.MultiplyAdd(a, b1, c41); }
            if (TRows.Value > 5) { a = Vector256.Create(g[5]); c50 = Fma.MultiplyAdd(a, b0, c50); if (TVecs.Value > 1) c51 = Fma.MultiplyAdd(a, b1, c51); }
            x += ldx;
            g += ldg;
        }
        Store<TVecs>(c, w, c00, c01, default);
        if (TRows.Value > 1) Store<TVecs>(c + ldc, w, c10, c11, default);
        if (TRows.Value > 2) Store<TVecs>(c + 2 * ldc, w, c20, c21, default);
        if (TRows.Value > 3) Store<TVecs>(c + 3 * ldc, w, c30, c31, default);
        if (TRows.Value > 4) Store<TVecs>(c + 4 * ldc, w, c40, c41, default);
        if (TRows.Value > 5) Store<TVecs>(c + 5 * ldc, w, c50, c51, default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load<TVecs>(double* source, int w, out Vector256<double> v0, out Vector256<double> v1, out Vector256<double> v2)
        where TVecs : struct, IGemmCount
    {
        v0 = Vector256.Load(source);
        v1 = TVecs.Value > 1 ? Vector256.Load(source + w) : default;
        v2 = TVecs.Value > 2 ? Vector256.Load(source + 2 * w) : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVecs>(double* destination, int w, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2)
        where TVecs : struct, IGemmCount
    {
        v0.Store(destination);
        if (TVecs.Value > 1) v1.Store(destination + w);
        if (TVecs.Value > 2) v2.Store(destination + 2 * w);
    }
}
