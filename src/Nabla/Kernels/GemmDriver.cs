using System.Buffers;
using System.Diagnostics;
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
/// to finish, or, when the packing thread is descheduled, packs a copy of its own (see
/// <c>Claim</c>). A packed panel is the same bytes whoever packs it, so this changes nothing in
/// the result. A call small enough to be a single piece runs inline on the caller's thread and
/// skips the state words.
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
        fixed (T* pb = b)
            Run(transA, transB, m, n, k, a, aOffset, pb + bOffset, prePackedB: null, c, cOffset, accumulate);
    }

    /// <summary>The product with B packed beforehand by <see cref="PackB"/> for this kernel.</summary>
    public static void Run(bool transA, int m, T[] a, int aOffset, PackedGemmOperand<T> b, T[] c, int cOffset, bool accumulate)
    {
        fixed (T* panels = b.Panels)
            Run(transA, b.TransB, m, b.N, b.K, a, aOffset, b: null, panels + b.Start, c, cOffset, accumulate);
    }

    /// <summary>
    /// Packs op(B) (k×n) into the panels <see cref="Run(bool, int, T[], int, PackedGemmOperand{T}, T[], int, bool)"/>
    /// reads: k-block q's column panel jr at ((q · ColPanels) + jr) · NR · Kc, each packed as a call
    /// of any m would pack it (the k-blocks depend on k and the kernel only).
    /// </summary>
    public static PackedGemmOperand<T> PackB(bool transB, int k, int n, T[] b, int bOffset)
    {
        var blocking = new GemmBlocking(1, n, k, TKernel.MR, TKernel.NR, sizeof(T));
        long length = (long)blocking.KBlocks * blocking.ColPanels * TKernel.NR * blocking.Kc;
        T[] panels = ArrayPool<T>.Shared.Rent(checked((int)length + CacheLine / sizeof(T)));
        fixed (T* pb = b, pp = panels)
        {
            T* start = (T*)(((nint)pp + CacheLine - 1) & ~(nint)(CacheLine - 1));
            T* dst = start;
            for (int q = 0; q < blocking.KBlocks; q++)
            {
                int p0 = q * blocking.Kc;
                int kc = Math.Min(blocking.Kc, k - p0);
                for (int jr = 0; jr < blocking.ColPanels; jr++, dst += TKernel.NR * blocking.Kc)
                {
                    int col0 = jr * TKernel.NR;
                    GemmPacking.PackB(transB, pb + bOffset, transB ? k : n, col0, Math.Min(TKernel.NR, n - col0), p0, kc, dst, TKernel.NR);
                }
            }
            // Kept as an element offset: should the array move before use, the panels only lose their alignment.
            return new PackedGemmOperand<T>(transB, k, n, b, bOffset, panels, (int)(start - pp));
        }
    }

    /// <summary>The product on B at <paramref name="b"/>, or on the panels at <paramref name="prePackedB"/> when not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOffset, T* b, T* prePackedB, T[] c, int cOffset, bool accumulate)
    {
        var blocking = new GemmBlocking(m, n, k, TKernel.MR, TKernel.NR, sizeof(T));
        int panelsPerPass = blocking.BlocksPerPass * blocking.PanelsPerBlock;
        long bPanelsLength = prePackedB is null ? (long)blocking.ColPanels * TKernel.NR : 0;
        long packedLength = (long)blocking.BlocksPerPass * blocking.Kc
            * ((long)blocking.RowPanels * TKernel.MR + bPanelsLength);
        // Room to start the panels on a cache line: a vector load of B̃ then never splits two lines.
        T[] packed = ArrayPool<T>.Shared.Rent(checked((int)packedLength + CacheLine / sizeof(T)));
        bool shared = blocking.Pieces > 1;
        int[] states = shared ? ArrayPool<int>.Shared.Rent(panelsPerPass) : [];
        Job job = Job.Rent();
        try
        {
            fixed (T* pa = a, pc = c, pp = packed)
            fixed (int* ps = states)
            {
                job.Blocking = blocking;
                job.TransA = transA;
                job.TransB = transB;
                job.M = m;
                job.N = n;
                job.K = k;
                job.A = pa + aOffset;
                job.B = b;
                job.PrePackedB = prePackedB;
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
                    job.Pass = Interlocked.Increment(ref s_passes);
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

        /// <summary>This pass's number, unique in the process (see <see cref="OwnPanel"/>).</summary>
        public long Pass;
        public T* A, B, C, Packed, BPanels;

        /// <summary>All of B's panels, packed before the call (see <see cref="PackB"/>), or null.</summary>
        public T* PrePackedB;
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
            A = B = C = Packed = BPanels = PrePackedB = null;
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
            T* shared = Packed + (long)index * TKernel.MR * Blocking.Kc;
            T* panel = Target(index, shared, first, isA: true, TKernel.MR, out bool pack);
            if (pack)
            {
                int row0 = ir * TKernel.MR;
                GemmPacking.PackA(TransA, A, TransA ? M : K, row0, Math.Min(TKernel.MR, M - row0), p0, kc, panel, TKernel.MR);
                MarkReady(index, panel == shared);
            }
            return panel;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T* PanelB(int qq, int jr, int p0, int kc, bool first)
        {
            if (PrePackedB is not null)
                return PrePackedB + ((long)(Q0 + qq) * Blocking.ColPanels + jr) * TKernel.NR * Blocking.Kc;
            int local = qq * Blocking.ColPanels + jr;
            int index = Blocking.BlocksPerPass * Blocking.RowPanels + local;
            T* shared = BPanels + (long)local * TKernel.NR * Blocking.Kc;
            T* panel = Target(index, shared, first, isA: false, TKernel.NR, out bool pack);
            if (pack)
            {
                int col0 = jr * TKernel.NR;
                GemmPacking.PackB(TransB, B, TransB ? K : N, col0, Math.Min(TKernel.NR, N - col0), p0, kc, panel, TKernel.NR);
                MarkReady(index, panel == shared);
            }
            return panel;
        }

        /// <summary>
        /// Where the panel <paramref name="index"/> is read from, and whether this thread must pack
        /// it there first. Alone, a piece packs a panel the first time it meets it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T* Target(int index, T* shared, bool first, bool isA, int width, out bool pack)
        {
            pack = Shared ? Volatile.Read(ref States[index]) != Ready : first;
            return pack && Shared ? Claim(index, shared, isA, width, out pack) : shared;
        }

        /// <summary>Marks a shared panel ready once this thread has packed it (its own copy is nobody else's business).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void MarkReady(int index, bool intoShared)
        {
            if (Shared && intoShared)
                Volatile.Write(ref States[index], Ready);
        }

        /// <summary>
        /// Decides who packs a shared panel that was not ready: returns <paramref name="shared"/>
        /// with <paramref name="pack"/> set when this thread won the right to pack it, or not set
        /// once another thread has packed it; otherwise (the other thread is still at it after a
        /// short wait) this thread's own copy of the panel, with <paramref name="pack"/> set unless
        /// the copy already holds it.
        /// </summary>
        /// <remarks>
        /// Packing one panel takes a microsecond or two, so a short spin usually sees it finish.
        /// Longer means the packing thread was descheduled, maybe for a whole scheduler slice while
        /// another program runs; spinning that long would burn this core for nothing. Instead this
        /// thread packs the same panel into a buffer of its own (it cannot share the packer's: the
        /// packing of a partial panel clears a row before filling it, so two packers would undo
        /// each other's writes). The bytes are the same whoever packs them, so the result is too.
        /// The copy is kept for the rest of this pass, so a thread that meets the stuck panel again
        /// uses it at once; only a descheduled packer leaves a panel stuck, one at a time.
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private T* Claim(int index, T* shared, bool isA, int width, out bool pack)
        {
            // The thread-static copies are looked up only here, off the hot path: a generic type's
            // thread-static costs a helper call, and PanelB runs once a micro-kernel call.
            ref OwnPanel own = ref isA ? ref t_ownA : ref t_ownB;
            ref int state = ref States[index];
            pack = true;
            if (Interlocked.CompareExchange(ref state, Packing, NotPacked) == NotPacked)
                return shared;
            if (own.Holds(Pass, index))
            {
                pack = false;
                return own.Panel;
            }
            long deadline = Stopwatch.GetTimestamp() + GemmPanelWait.Ticks;
            while (Volatile.Read(ref state) != Ready)
            {
                if (Stopwatch.GetTimestamp() >= deadline)
                    return own.Take(Pass, index, width * Blocking.Kc);
                Thread.SpinWait(20);
            }
            pack = false;
            return shared;
        }
    }

    /// <summary>Pass numbers unique across calls, so an own copy is never mistaken for one of another pass.</summary>
    private static long s_passes;

    [ThreadStatic] private static OwnPanel t_ownA, t_ownB;

    /// <summary>
    /// A thread's own copy of one A or B panel that another thread is slow to pack, and which
    /// panel of which pass it holds.
    /// </summary>
    private struct OwnPanel
    {
        private T[]? _buffer;
        private long _pass;
        private int _index;

        /// <summary>The start of the copy, on a cache line.</summary>
        public T* Panel { get; private set; }

        /// <summary>Whether the copy holds panel <paramref name="index"/> of pass <paramref name="pass"/>.</summary>
        public readonly bool Holds(long pass, int index) => _buffer is not null && _pass == pass && _index == index;

        /// <summary>The buffer, at least <paramref name="length"/> long, now standing for panel <paramref name="index"/> of pass <paramref name="pass"/>.</summary>
        public T* Take(long pass, int index, int length)
        {
            if (_buffer is null || _buffer.Length < length + CacheLine / sizeof(T))
            {
                // Pinned, so the pointer stays valid for as long as the thread keeps the buffer.
                _buffer = GC.AllocateUninitializedArray<T>(length + CacheLine / sizeof(T), pinned: true);
                nint start = (nint)Unsafe.AsPointer(ref _buffer[0]);
                Panel = (T*)((start + CacheLine - 1) & ~(nint)(CacheLine - 1));
            }
            _pass = pass;
            _index = index;
            return Panel;
        }
    }
}
