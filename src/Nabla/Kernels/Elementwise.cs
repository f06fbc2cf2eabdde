using System.Buffers;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Elementwise loops over arrays: unary maps, scalar maps and broadcasting binary ops, running a
/// span kernel (usually <see cref="TensorPrimitives"/>) over contiguous runs. Large arrays are cut
/// into fixed chunks run in parallel; elementwise results never depend on the split. Callers allocate
/// the outputs, pick the element type and work out broadcast strides.
/// </summary>
internal static class Elementwise
{
    /// <summary>Elements per parallel piece.</summary>
    internal const int ChunkSize = 1 << 15;

    /// <summary>Below this many elements one thread is faster than waking others.</summary>
    internal const int ParallelThreshold = 1 << 17;

    /// <summary>Longest run handed to a span kernel when broadcasting needs a filled temporary.</summary>
    private const int BlockSize = 1024;

    /// <summary>y = f(x) over arrays of one length.</summary>
    public static void Map<T>(T[] x, T[] y, SpanMap<T> f)
    {
        int n = y.Length;
        if (n < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1) { f(x, y); return; }
        Parallelism.For(Pieces(n), p => { var (s, len) = Piece(p, n); f(x.AsSpan(s, len), y.AsSpan(s, len)); });
    }

    /// <summary>y = f(x, s) over arrays of one length.</summary>
    public static void MapScalar<T>(T[] x, T s, T[] y, SpanMapScalar<T> f)
    {
        int n = y.Length;
        if (n < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1) { f(x, s, y); return; }
        Parallelism.For(Pieces(n), p => { var (start, len) = Piece(p, n); f(x.AsSpan(start, len), s, y.AsSpan(start, len)); });
    }

    /// <summary>y = f(a, b) over arrays of one length (<paramref name="y"/> may be <paramref name="a"/>, for an update in place).</summary>
    public static void Zip<T>(T[] a, T[] b, T[] y, SpanZip<T> f)
    {
        int n = y.Length;
        if (n < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1) { f(a, b, y); return; }
        Parallelism.For(Pieces(n), p => { var (s, len) = Piece(p, n); f(a.AsSpan(s, len), b.AsSpan(s, len), y.AsSpan(s, len)); });
    }

    private static int Pieces(int n) => (n + ChunkSize - 1) / ChunkSize;

    private static (int Start, int Length) Piece(int piece, int n)
    {
        int start = piece * ChunkSize;
        return (start, Math.Min(ChunkSize, n - start));
    }

    /// <summary>
    /// y = f(a, b) with broadcasting: <paramref name="y"/> has <paramref name="shape"/>, and each operand
    /// is read with its strides over that shape (0 along a broadcast dimension). Dimensions are first
    /// merged where both operands stay contiguous across them, so the innermost run is as long as
    /// possible; each output row is then handed to the span kernel, with a broadcast (stride-0) operand
    /// row filled into a temporary.
    /// </summary>
    public static void Broadcast<T>(T[] a, long[] aStrides, T[] b, long[] bStrides, T[] y, int[] shape, SpanZip<T> f)
    {
        if (y.Length == 0) return;
        var (dims, coalescedA, coalescedB) = Coalesce(shape, aStrides, bStrides);
        int inner = dims[^1];
        long rows = y.Length / inner;
        long innerA = coalescedA[^1], innerB = coalescedB[^1];

        void DoRows(long firstRow, long endRow)
        {
            T[]? tempA = innerA == 0 ? ArrayPool<T>.Shared.Rent(Math.Min(inner, BlockSize)) : null;
            T[]? tempB = innerB == 0 ? ArrayPool<T>.Shared.Rent(Math.Min(inner, BlockSize)) : null;
            try
            {
                for (long row = firstRow; row < endRow; row++)
                {
                    long offA = 0, offB = 0, rest = row;
                    for (int d = dims.Length - 2; d >= 0; d--)
                    {
                        long i = rest % dims[d];
                        rest /= dims[d];
                        offA += i * coalescedA[d];
                        offB += i * coalescedB[d];
                    }
                    long offY = row * inner;
                    for (int start = 0; start < inner; start += BlockSize)
                    {
                        int len = Math.Min(BlockSize, inner - start);
                        ReadOnlySpan<T> sa = tempA is null ? a.AsSpan((int)(offA + start), len) : Filled(tempA, len, a[offA]);
                        ReadOnlySpan<T> sb = tempB is null ? b.AsSpan((int)(offB + start), len) : Filled(tempB, len, b[offB]);
                        f(sa, sb, y.AsSpan((int)(offY + start), len));
                    }
                }
            }
            finally
            {
                if (tempA is not null) ArrayPool<T>.Shared.Return(tempA);
                if (tempB is not null) ArrayPool<T>.Shared.Return(tempB);
            }
        }

        if (y.Length < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1 || rows == 1)
        {
            DoRows(0, rows);
            return;
        }
        long rowsPerPiece = Math.Max(1, ChunkSize / inner);
        int pieces = (int)((rows + rowsPerPiece - 1) / rowsPerPiece);
        Parallelism.For(pieces, p => DoRows(p * rowsPerPiece, Math.Min(rows, (p + 1) * rowsPerPiece)));
    }

    /// <summary><paramref name="x"/>, read with <paramref name="strides"/> over <paramref name="shape"/>, copied into <paramref name="y"/> of that shape.</summary>
    public static void BroadcastCopy<T>(T[] x, long[] strides, T[] y, int[] shape)
        => Broadcast(x, strides, x, strides, y, shape, static (a, _, d) => a.CopyTo(d));

    private static Span<T> Filled<T>(T[] temp, int length, T value)
    {
        var span = temp.AsSpan(0, length);
        span.Fill(value);
        return span;
    }

    /// <summary>Drops size-1 dimensions and merges neighbours that both operands traverse contiguously.</summary>
    private static (int[] Dims, long[] AStrides, long[] BStrides) Coalesce(int[] shape, long[] aStrides, long[] bStrides)
    {
        var dims = new List<int>();
        var sa = new List<long>();
        var sb = new List<long>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (dims.Count > 0 && sa[^1] == aStrides[d] * shape[d] && sb[^1] == bStrides[d] * shape[d])
            {
                dims[^1] *= shape[d];
                sa[^1] = aStrides[d];
                sb[^1] = bStrides[d];
                continue;
            }
            dims.Add(shape[d]);
            sa.Add(aStrides[d]);
            sb.Add(bStrides[d]);
        }
        if (dims.Count == 0) return ([1], [0], [0]);
        return (dims.ToArray(), sa.ToArray(), sb.ToArray());
    }
}
