using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// The blocked, threaded GEMM for one element type and one micro-kernel: plans the blocking,
/// packs panels on demand into a pooled buffer and sweeps the micro-kernel over C.
/// </summary>
/// <remarks>
/// <para>
/// One <see cref="Parallelism.For(int, Action{int})"/> call per pass (usually one per GEMM) runs the output pieces
/// of <see cref="GemmBlocking"/>. There is no separate packing phase and no barrier: a piece packs
/// a panel the first time any piece needs it. A per-panel state word (0 = not packed, 1 = being
/// packed, 2 = ready) is claimed with a compare-exchange; whoever loses waits for the (short) copy
/// to finish. A packed panel is the same bytes whoever packs it, so this changes nothing in the
/// result, and no panel is packed twice. A call small enough to be a single piece runs inline on
/// the caller's thread and skips the state words.
/// </para>
/// <para>
/// Loop order inside a piece (BLIS's, with A and B swapped): column chunk (L2) → k-block →
/// row panel (A micro-panel in L1) → column panel → micro-kernel. The k-blocks of a C element are
/// always added in increasing order, and k is never split across threads.
/// </para>
/// </remarks>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, INumberBase<T>
    where TKernel : struct, IGemmKernel<T>
{
    private const int CacheLine = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate)
    {
        var blocking = new GemmBlocking(m, n, k, TKernel.MR, TKernel.NR, sizeof(T));
        int panelsPerPass = blocking.BlocksPerPass * blocking.PanelsPerBlock;
        long packedLength = (long)blocking.BlocksPerPass * blocking.Kc
            * ((long)blocking.RowPanels * TKernel.MR + (long)blocking.ColPanels * TKernel.NR);
        // Room to start the panels on a cache line: a vector load of B̃ then never splits two lines.
        T[] packed = ArrayPool<T>.Shared.Rent(checked((int)packedLength + CacheLine / sizeof(T)));
        bool shared = blocking.Pieces > 1;
        int[] states = shared ? ArrayPool<int>.Shared.Rent(panelsPerPass) : [];
        Job job = Job.Rent();
        try
        {
            fixed (T* pa = a, pb = b, pc = c, pp = packed)
            fixed (int* ps = states)
            {
                job.Blocking = blocking;
                job.TransA = transA;
                job.TransB = transB;
                job.M = m;
                job.N = n;
                job.K = k;
                job.A = pa + aOffset;
                job.B = pb + bOffset;
                job.C = pc + cOffset;
                job.Accumulate = accumulate;
                T* panels = (T*)(((nint)pp + CacheLine - 1) & ~(nint)(CacheLine - 1));
                job.Packed = panels;
                job.States = ps;
                job.BPanels = panels + (long)blocking.BlocksPerPass * blocking.RowPanels * TKernel.MR * blocking.Kc;
                job.Shared = shared;
                for (int q0 = 0; q0 < blocking.KBlocks; q0 += blocking.BlocksPerPass)
                {
                    if (job.Shared)
                        new Span<int>(ps, panelsPerPass).Clear();
                    job.Q0 = q0;
                    job.Q1 = Math.Min(blocking.KBlocks, q0 + blocking.BlocksPerPass);
                    if (blocking.Pieces == 1)
                        job.Compute(0);
                    else
                        Parallelism.For(blocking.Pieces, job.ComputeAction);
                }
            }
        }
        finally
        {
            job.Clear();
            Job.Return(job);
            if (shared)
                ArrayPool<int>.Shared.Return(states);
            ArrayPool<T>.Shared.Return(packed);
        }
    }

    /// <summary>The state of one call, shared by the threads running its pieces.</summary>
    private sealed class Job
    {
        private const int NotPacked = 0, Packing = 1, Ready = 2;

        [ThreadStatic] private static Job? t_cached;

        public readonly Action<int> ComputeAction;
        public GemmBlocking Blocking;
        public bool TransA, TransB, Accumulate;

        /// <summary>Several pieces share the panels, so packing goes through the state words.</summary>
        public bool Shared;
        public int M, N, K, Q0, Q1;
        public T* A, B, C, Packed, BPanels;
        public int* States;

        private Job() => ComputeAction = Compute;

        /// <summary>One cached job per calling thread, so a call allocates nothing of its own.</summary>
        public static Job Rent()
        {
            Job? job = t_cached;
            t_cached = null;
            return job ?? new Job();
        }

        public static void Return(Job job) => t_cached = job;

        public void Clear()
        {
            A = B = C = Packed = BPanels = null;
            States = null;
        }

        /// <summary>Computes the C tiles of one piece for the k-blocks of the current pass.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(int piece)
        {
            GemmBlocking g = Blocking;
            int mr = TKernel.MR, nr = TKernel.NR;
            int rowGroup = piece % g.RowGroups, colGroup = piece / g.RowGroups;
            int ir0 = GemmBlocking.GroupStart(g.RowPanels, g.RowGroups, rowGroup);
            int ir1 = GemmBlocking.GroupStart(g.RowPanels, g.RowGroups, rowGroup + 1);
            int jr0 = GemmBlocking.GroupStart(g.ColPanels, g.ColGroups, colGroup);
            int jr1 = GemmBlocking.GroupStart(g.ColPanels, g.ColGroups, colGroup + 1);
            nint ldc = N;
            // Two threads start at the two ends of the piece range, on pieces that share panels.
            // Walking the second half's panels backwards makes them meet a shared panel at
            // different times, instead of one queueing behind the other's packing at every panel.
            // The order of tiles within a k-block changes no value.
            bool backward = Shared && piece >= g.Pieces / 2;
            for (int jc = jr0; jc < jr1; jc += g.ChunkPanels)
            {
                int jcEnd = Math.Min(jr1, jc + g.ChunkPanels);
                for (int q = Q0; q < Q1; q++)
                {
                    int p0 = q * g.Kc;
                    int kc = Math.Min(g.Kc, K - p0);
                    bool add = Accumulate || q > 0;
                    for (int t = 0; t < ir1 - ir0; t++)
                    {
                        int ir = backward ? ir1 - 1 - t : ir0 + t;
                        // Alone, a piece knows when it first meets a panel: A in the first
                        // column chunk, B in the first row panel.
                        T* ap = PanelA(q - Q0, ir, p0, kc, first: jc == jr0);
                        int row0 = ir * mr;
                        int rows = Math.Min(mr, M - row0);
                        T* cRow = C + row0 * ldc;
                        for (int u = 0; u < jcEnd - jc; u++)
                        {
                            int jr = backward ? jcEnd - 1 - u : jc + u;
                            T* bp = PanelB(q - Q0, jr, p0, kc, first: ir == ir0);
                            int col0 = jr * nr;
                            TKernel.Run(kc, ap, bp, cRow + col0, N, rows, Math.Min(nr, N - col0), add);
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T* PanelA(int qq, int ir, int p0, int kc, bool first)
        {
            int index = qq * Blocking.RowPanels + ir;
            T* panel = Packed + (long)index * TKernel.MR * Blocking.Kc;
            if (Shared ? Volatile.Read(ref States[index]) != Ready && Claim(index) : first)
            {
                int row0 = ir * TKernel.MR;
                GemmPacking.PackA(TransA, A, TransA ? M : K, row0, Math.Min(TKernel.MR, M - row0), p0, kc, panel, TKernel.MR);
                if (Shared)
                    Volatile.Write(ref States[index], Ready);
            }
            return panel;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T* PanelB(int qq, int jr, int p0, int kc, bool first)
        {
            int local = qq * Blocking.ColPanels + jr;
            int index = Blocking.BlocksPerPass * Blocking.RowPanels + local;
            T* panel = BPanels + (long)local * TKernel.NR * Blocking.Kc;
            if (Shared ? Volatile.Read(ref States[index]) != Ready && Claim(index) : first)
            {
                int col0 = jr * TKernel.NR;
                GemmPacking.PackB(TransB, B, TransB ? K : N, col0, Math.Min(TKernel.NR, N - col0), p0, kc, panel, TKernel.NR);
                if (Shared)
                    Volatile.Write(ref States[index], Ready);
            }
            return panel;
        }

        /// <summary>
        /// True when the caller won the right to pack the panel; false once another thread has
        /// finished packing it (after waiting, if it was still at it).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool Claim(int index)
        {
            ref int state = ref States[index];
            if (Interlocked.CompareExchange(ref state, Packing, NotPacked) == NotPacked)
                return true;
            var spinner = new SpinWait();
            while (Volatile.Read(ref state) != Ready)
                spinner.SpinOnce(sleep1Threshold: -1);
            return false;
        }
    }
}
