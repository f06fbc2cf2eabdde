namespace Nabla.Kernels;

/// <summary>
/// How one GEMM call is cut up: the k-blocks (cache blocking for the packed panels), the
/// L2-sized column chunks, and the output pieces that threads share out.
/// </summary>
/// <remarks>
/// <para>
/// Cache blocking, after GotoBLAS/BLIS with A and B in swapped roles because C is row-major and
/// the vector lanes run along C's rows: one packed micro-panel of A (MR × kc) stays in L1 while
/// the kernel sweeps the packed B panels (kc × NR each) of an L2-sized column chunk
/// (kc × <see cref="ChunkPanels"/>·NR); that chunk is re-used for every row panel before the
/// next chunk is touched. kc is chosen so the A micro-panel takes about half of L1.
/// </para>
/// <para>
/// Nothing here depends on <see cref="Parallelism.MaxDegreeOfParallelism"/>. The k-blocks
/// (a function of k and the kernel only) fix the order in which each C element sums its terms,
/// so they are what matters for reproducibility; the pieces (shape and core count) only decide
/// who computes which tile, which changes no value (see <see cref="IGemmKernel{T}"/>).
/// </para>
/// </remarks>
internal readonly struct GemmBlocking
{
    /// <summary>Bytes of the A micro-panel kept in L1 (Zen 4/5: 32-48 KiB L1D).</summary>
    private const int L1PanelBytes = 24 * 1024;

    /// <summary>Bytes of the B column chunk kept in L2 (Zen 4/5: 1 MiB L2 per core).</summary>
    private const int L2ChunkBytes = 512 * 1024;

    /// <summary>Longest k-block; longer blocks no longer amortise the C update any better.</summary>
    private const int MaxKc = 512;

    /// <summary>
    /// Bytes of packed panels one pass may hold; a larger problem runs in several passes over its
    /// k-blocks (one pass holds at least one whole k-block).
    /// </summary>
    /// <remarks>Settable only so a test can force several passes on a small problem.</remarks>
    internal static long PassBytes { get; set; } = 48L * 1024 * 1024;

    /// <summary>Below this many multiply-adds (m·n·k) one thread does everything: waking others costs more.</summary>
    internal const long ParallelThreshold = 1L << 21;

    /// <summary>Smallest piece worth handing to another thread, in multiply-adds.</summary>
    private const long MinPieceWork = 1L << 18;

    /// <summary>Number of k-blocks; block q covers k in [q·Kc, min(k, (q + 1)·Kc)).</summary>
    public int KBlocks { get; }

    /// <summary>Length of a k-block (the last may be shorter).</summary>
    public int Kc { get; }

    /// <summary>MR-row panels of A (and of C), the last possibly partial.</summary>
    public int RowPanels { get; }

    /// <summary>NR-column panels of B (and of C), the last possibly partial.</summary>
    public int ColPanels { get; }

    /// <summary>Column panels swept together while their packed B stays in L2.</summary>
    public int ChunkPanels { get; }

    /// <summary>k-blocks packed and computed per pass (all of them unless the problem is huge).</summary>
    public int BlocksPerPass { get; }

    /// <summary>Row panels are split into this many near-equal groups for the pieces.</summary>
    public int RowGroups { get; }

    /// <summary>Column panels are split into this many near-equal groups for the pieces.</summary>
    public int ColGroups { get; }

    /// <summary>Output pieces, RowGroups × ColGroups; 1 runs inline with no threading.</summary>
    public int Pieces => RowGroups * ColGroups;

    /// <summary>Packed panels of one k-block for A (the first <see cref="RowPanels"/>) and B.</summary>
    public int PanelsPerBlock => RowPanels + ColPanels;

    public GemmBlocking(int m, int n, int k, int mr, int nr, int elementSize)
    {
        int kcMax = Math.Clamp(L1PanelBytes / (mr * elementSize), 64, MaxKc);
        int kBlocks = (k + kcMax - 1) / kcMax;
        // Equal blocks, rounded up to a multiple of 8 so the packing transposes run whole.
        int kc = ((k + kBlocks - 1) / kBlocks + 7) & ~7;
        Kc = Math.Min(kc, Math.Max(k, 1));
        KBlocks = Math.Max(1, (k + Kc - 1) / Kc);
        RowPanels = (m + mr - 1) / mr;
        ColPanels = (n + nr - 1) / nr;
        ChunkPanels = Math.Max(1, L2ChunkBytes / (Kc * elementSize * nr));

        long blockElements = (long)Kc * ((long)RowPanels * mr + (long)ColPanels * nr);
        BlocksPerPass = (int)Math.Clamp(PassBytes / elementSize / Math.Max(1, blockElements), 1, KBlocks);

        long work = (long)m * n * k;
        int rowGroups = 1, colGroups = 1;
        if (work >= ParallelThreshold)
        {
            long target = Math.Min(Math.Max(8, 4L * Environment.ProcessorCount), work / MinPieceWork);
            // Column chunks are free to hand out: each is packed and swept on its own anyway.
            colGroups = Math.Max(1, (ColPanels + ChunkPanels - 1) / ChunkPanels);
            if (colGroups < target)
                rowGroups = (int)Math.Min(RowPanels, (target + colGroups - 1) / colGroups);
            if ((long)rowGroups * colGroups < target)
                colGroups = (int)Math.Min(ColPanels, (target + rowGroups - 1) / rowGroups);
        }
        RowGroups = rowGroups;
        ColGroups = colGroups;
    }

    /// <summary>The start of group <paramref name="g"/> of <paramref name="groups"/> near-equal groups of <paramref name="total"/> panels.</summary>
    public static int GroupStart(int total, int groups, int g) => (int)((long)total * g / groups);
}
