using System.Buffers;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Elementwise loops: unary maps, scalar maps and broadcasting binary ops over tensors, running a
/// span kernel (usually <see cref="TensorPrimitives"/>) over contiguous runs. Large tensors are cut
/// into fixed chunks run in parallel; elementwise results never depend on the split.
/// </summary>
internal static class Elementwise
{
    /// <summary>Elements per parallel piece.</summary>
    internal const int ChunkSize = 1 << 15;

    /// <summary>Below this many elements one thread is faster than waking others.</summary>
    internal const int ParallelThreshold = 1 << 17;

    /// <summary>Longest run handed to a span kernel when broadcasting needs a filled temporary.</summary>
    private const int BlockSize = 1024;

    public static Tensor Map(Tensor x, SpanMap<float> f32, SpanMap<double> f64)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Run(x.Float32Data, y.Float32Data, f32);
        else Run(x.Float64Data, y.Float64Data, f64);
        return y;
    }

    public static Tensor MapScalar(Tensor x, double s, SpanMapScalar<float> f32, SpanMapScalar<double> f64)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Run(x.Float32Data, (float)s, y.Float32Data, f32);
        else Run(x.Float64Data, s, y.Float64Data, f64);
        return y;
    }

    /// <summary>y = f(a, b) with NumPy broadcasting; both must have the same floating-point type.</summary>
    public static Tensor Zip(Tensor a, Tensor b, string op, SpanZip<float> f32, SpanZip<double> f64)
    {
        RequireSameType(a, b, op);
        if (Shapes.SameShape(a.ShapeArray, b.ShapeArray))
        {
            var same = Tensor.Empty(a.ShapeArray, a.DType);
            if (a.DType == DType.Float32) Run(a.Float32Data, b.Float32Data, same.Float32Data, f32);
            else Run(a.Float64Data, b.Float64Data, same.Float64Data, f64);
            return same;
        }
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, op);
        var y = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32) Broadcast(a.Float32Data, a.ShapeArray, b.Float32Data, b.ShapeArray, y.Float32Data, shape, f32);
        else Broadcast(a.Float64Data, a.ShapeArray, b.Float64Data, b.ShapeArray, y.Float64Data, shape, f64);
        return y;
    }

    /// <summary>A copy of <paramref name="x"/> expanded to <paramref name="shape"/> (which it must broadcast to).</summary>
    public static Tensor BroadcastTo(Tensor x, int[] shape)
    {
        var y = Tensor.Empty(shape, x.DType);
        switch (x.DType)
        {
            case DType.Float32: Broadcast(x.Float32Data, x.ShapeArray, x.Float32Data, x.ShapeArray, y.Float32Data, shape, static (a, _, d) => a.CopyTo(d)); break;
            case DType.Float64: Broadcast(x.Float64Data, x.ShapeArray, x.Float64Data, x.ShapeArray, y.Float64Data, shape, static (a, _, d) => a.CopyTo(d)); break;
            default: Broadcast(x.Int32Data, x.ShapeArray, x.Int32Data, x.ShapeArray, y.Int32Data, shape, static (a, _, d) => a.CopyTo(d)); break;
        }
        return y;
    }

    /// <summary>target += source, same shape and type (gradient accumulation into a leaf).</summary>
    public static void AddInPlace(Tensor target, Tensor source)
    {
        if (!Shapes.SameShape(target.ShapeArray, source.ShapeArray))
            throw new ShapeMismatchException($"Grad accumulation: the existing gradient has shape {Shapes.Format(target.ShapeArray)} but the new one has shape {Shapes.Format(source.ShapeArray)}.");
        RequireSameType(target, source, "Grad accumulation");
        if (target.DType == DType.Float32) Run(target.Float32Data, source.Float32Data, target.Float32Data, TensorPrimitives.Add);
        else Run(target.Float64Data, source.Float64Data, target.Float64Data, TensorPrimitives.Add);
    }

    public static void RequireSameType(Tensor a, Tensor b, string op)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: element types differ ({a.DType} and {b.DType}); convert one with To(DType.{a.DType}) or To(DType.{b.DType}).");
    }

    private static void Run<T>(T[] x, T[] y, SpanMap<T> f)
    {
        int n = y.Length;
        if (n < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1) { f(x, y); return; }
        Parallelism.For(Pieces(n), p => { var (s, len) = Piece(p, n); f(x.AsSpan(s, len), y.AsSpan(s, len)); });
    }

    private static void Run<T>(T[] x, T s, T[] y, SpanMapScalar<T> f)
    {
        int n = y.Length;
        if (n < ParallelThreshold || Parallelism.MaxDegreeOfParallelism == 1) { f(x, s, y); return; }
        Parallelism.For(Pieces(n), p => { var (start, len) = Piece(p, n); f(x.AsSpan(start, len), s, y.AsSpan(start, len)); });
    }

    private static void Run<T>(T[] a, T[] b, T[] y, SpanZip<T> f)
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
    /// The general broadcasting loop. Dimensions are first merged where both operands stay
    /// contiguous across them, so the innermost run is as long as possible; each output row is then
    /// handed to the span kernel, with a broadcast (stride-0) operand row filled into a temporary.
    /// </summary>
    private static void Broadcast<T>(T[] a, int[] aShape, T[] b, int[] bShape, T[] y, int[] shape, SpanZip<T> f)
    {
        if (y.Length == 0) return;
        var (dims, aStrides, bStrides) = Coalesce(shape, Shapes.BroadcastStrides(aShape, shape), Shapes.BroadcastStrides(bShape, shape));
        int inner = dims[^1];
        long rows = y.Length / inner;
        long innerA = aStrides[^1], innerB = bStrides[^1];

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
                        offA += i * aStrides[d];
                        offB += i * bStrides[d];
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
