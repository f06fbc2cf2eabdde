using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// The three products of a 2-D convolution over NCHW data, each as im2col + GEMM per sample and
/// group: the forward Y = W·cols, the input gradient col2im(Wᵀ·G) and the weight gradient
/// Σₙ G·colsᵀ (a dot product per tap and output channel instead of the GEMM when there are few
/// of them, see <see cref="MaxDirectProducts"/>). A pointwise kernel (1×1, stride 1, no padding)
/// uses the image itself as its column matrix.
/// </summary>
/// <remarks>
/// Samples run in parallel when the batch holds enough work (each sample's GEMMs then run on its
/// thread alone: <see cref="Parallelism.For(int, Action{int})"/> does not nest). The weight
/// gradient sums over samples, so the batch is cut into <see cref="WeightChunks"/> fixed chunks
/// (set by the batch size alone); each chunk sums its samples in order into its own partial, and
/// the partials are added in chunk order: the result is the same bit for bit at every thread count. Column matrices come from <see cref="ArrayPool{T}"/>.
/// </remarks>
internal static class Conv2dKernel
{
    /// <summary>At most this many partial weight gradients: enough pieces for the cores, few extra additions.</summary>
    private const int WeightChunks = 16;

    /// <summary>
    /// y = conv(x, w) (+ bias per output channel), then max(y, 0) when <paramref name="relu"/> is set
    /// (each row while it is still in cache); y is overwritten.
    /// </summary>
    public static void Forward<T>(T[] x, T[] w, T[]? bias, T[] y, Conv2dGeometry g, bool relu = false)
        where T : unmanaged, INumber<T>
    {
        int outSample = g.OutChannels * g.Window.OutputPlane;
        Parallelism.For(g.Batch, SampleWork(g), n => ForwardSample(x, w, bias, y, n * outSample, n, g, relu));
    }

    /// <summary>The multiply-adds of one sample's forward product: the work of a sample, for <see cref="Parallelism.For(int, long, Action{int})"/>.</summary>
    public static long SampleWork(Conv2dGeometry g) => (long)g.OutChannels * g.GroupTaps * g.Window.OutputPlane;

    /// <summary>
    /// <see cref="Forward{T}"/> of sample <paramref name="n"/> alone, written to <paramref name="y"/>
    /// from <paramref name="outputStart"/> on, on the calling thread.
    /// </summary>
    public static void ForwardSample<T>(T[] x, T[] w, T[]? bias, T[] y, int outputStart, int n, Conv2dGeometry g, bool relu)
        where T : unmanaged, INumber<T>
    {
        var win = g.Window;
        int taps = g.GroupTaps, plane = win.OutputPlane, groupOut = g.GroupOutChannels;
        var (cols, offset, rented) = Columns(x, n * g.InChannels * win.InputPlane, g);
        for (int group = 0; group < g.Groups; group++)
            Gemm.Dispatch(false, false, groupOut, plane, taps, w, group * groupOut * taps,
                cols, offset + group * taps * plane, y, outputStart + group * groupOut * plane, accumulate: false);
        if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        if (bias is null && !relu) return;
        for (int o = 0; o < g.OutChannels; o++)
        {
            var row = y.AsSpan(outputStart + o * plane, plane);
            if (bias is not null) TensorPrimitives.Add(row, bias[o], row);
            if (relu) TensorPrimitives.Max(row, T.Zero, row);
        }
    }

    /// <summary>gb[o] = Σₙ Σ_plane gy[n, o], the gradient of conv(x, w) + bias with respect to the bias; gb is overwritten.</summary>
    /// <remarks>Each row is summed, then the rows of a channel added in sample order, as <c>Sum(2).Sum(0)</c> on (N, O, OH·OW) does.</remarks>
    public static void BiasGradient<T>(T[] gy, T[] gb, Conv2dGeometry g)
        where T : unmanaged, INumber<T>
    {
        int plane = g.Window.OutputPlane, outSample = g.OutChannels * plane;
        for (int o = 0; o < g.OutChannels; o++)
        {
            T sum = T.Zero;
            for (int n = 0; n < g.Batch; n++) sum += TensorPrimitives.Sum<T>(gy.AsSpan(n * outSample + o * plane, plane));
            gb[o] = sum;
        }
    }

    /// <summary>gx = col2im(Wᵀ·gy), the gradient of conv(x, w) with respect to x; gx is overwritten.</summary>
    public static void InputGradient<T>(T[] gy, T[] w, T[] gx, Conv2dGeometry g)
        where T : unmanaged, INumberBase<T>
    {
        var win = g.Window;
        int taps = g.GroupTaps, plane = win.OutputPlane, groupOut = g.GroupOutChannels;
        int inSample = g.InChannels * win.InputPlane, outSample = g.OutChannels * plane;
        Parallelism.For(g.Batch, (long)g.OutChannels * taps * plane, n =>
        {
            // Pointwise: the column matrix is the image, so the product lands in gx directly.
            var cols = win.IsPointwise ? gx : ArrayPool<T>.Shared.Rent(g.Groups * taps * plane);
            int offset = win.IsPointwise ? n * inSample : 0;
            for (int group = 0; group < g.Groups; group++)
                Gemm.Dispatch(true, false, taps, plane, groupOut, w, group * groupOut * taps,
                    gy, n * outSample + group * groupOut * plane, cols, offset + group * taps * plane, accumulate: false);
            if (win.IsPointwise) return;
            // Cleared here rather than by the caller: the sample's slice is then still in cache for the fold.
            gx.AsSpan(n * inSample, inSample).Clear();
            Im2Col.FoldAdd<T>(cols.AsSpan(0, g.Groups * taps * plane), g.InChannels, win, gx.AsSpan(n * inSample, inSample));
            ArrayPool<T>.Shared.Return(cols);
        });
    }

    /// <summary>gw = Σₙ gyₙ·colsₙᵀ, the gradient of conv(x, w) with respect to w; gw is overwritten.</summary>
    /// <remarks>
    /// Each chunk sums its samples' transposed products colsₙ·gyₙᵀ (taps × output channels per
    /// group): the taps (C·kH·kW) are usually many and the output channels few, and the GEMM's
    /// register tiles are taller than wide, so this way round wastes fewer lanes on partial tiles
    /// (conv 1→16 3×3: 9 taps would fill 9 of a tile's 32 columns). The sum of the chunks is then
    /// transposed into gw.
    /// </remarks>
    public static void WeightGradient<T>(T[] x, T[] gy, T[] gw, Conv2dGeometry g)
        where T : unmanaged, INumberBase<T>
    {
        var win = g.Window;
        int taps = g.GroupTaps, plane = win.OutputPlane, groupOut = g.GroupOutChannels;
        int inSample = g.InChannels * win.InputPlane, outSample = g.OutChannels * plane;
        int weightLength = g.OutChannels * taps, chunks = Math.Min(g.Batch, WeightChunks);
        if (chunks == 0)
        {
            Array.Clear(gw, 0, weightLength);
            return;
        }
        bool direct = taps * groupOut < MaxDirectProducts;
        var partials = new T[chunks][];
        for (int c = 0; c < partials.Length; c++) partials[c] = ArrayPool<T>.Shared.Rent(weightLength);
        Parallelism.For(chunks, (long)weightLength * plane * g.Batch / chunks, chunk =>
        {
            var target = partials[chunk];
            int start = (int)((long)chunk * g.Batch / chunks), end = (int)((long)(chunk + 1) * g.Batch / chunks);
            for (int n = start; n < end; n++)
            {
                var (cols, offset, rented) = Columns(x, n * inSample, g);
                for (int group = 0; group < g.Groups; group++)
                {
                    int columnStart = offset + group * taps * plane, gradientStart = n * outSample + group * groupOut * plane;
                    if (direct)
                        DotProducts(cols.AsSpan(columnStart, taps * plane), gy.AsSpan(gradientStart, groupOut * plane),
                            target.AsSpan(group * taps * groupOut, taps * groupOut), plane, accumulate: n != start);
                    else
                        Gemm.Dispatch(false, true, taps, groupOut, plane, cols, columnStart,
                            gy, gradientStart, target, group * taps * groupOut, accumulate: n != start);
                }
                if (rented is not null) ArrayPool<T>.Shared.Return(rented);
            }
        });
        var sum = partials[0].AsSpan(0, weightLength);
        for (int c = 1; c < chunks; c++) TensorPrimitives.Add(sum, partials[c].AsSpan(0, weightLength), sum);
        for (int group = 0; group < g.Groups; group++)
        {
            var transposed = sum.Slice(group * taps * groupOut, taps * groupOut);
            var rows = gw.AsSpan(group * groupOut * taps, groupOut * taps);
            for (int t = 0; t < taps; t++)
                for (int o = 0; o < groupOut; o++)
                    rows[o * taps + t] = transposed[t * groupOut + o];
        }
        foreach (var partial in partials) ArrayPool<T>.Shared.Return(partial);
    }

    /// <summary>
    /// Below this many taps × output channels a sample's weight gradient is a dot product per pair
    /// rather than a GEMM: conv 1→16 3×3 (144 pairs of 784-long rows) fills under half of one
    /// 12 × 32 register tile, and packing both operands for so few outputs cost more than the products.
    /// </summary>
    private const int MaxDirectProducts = 1024;

    /// <summary>
    /// target[t, o] (+)= Σ_p cols[t, p]·gy[o, p], one dot product per tap and output channel, for
    /// rows of length <paramref name="plane"/>; added to target when <paramref name="accumulate"/> is set.
    /// </summary>
    private static void DotProducts<T>(ReadOnlySpan<T> cols, ReadOnlySpan<T> gy, Span<T> target, int plane, bool accumulate)
        where T : unmanaged, INumberBase<T>
    {
        int outputs = gy.Length / plane;
        for (int t = 0; t < cols.Length / plane; t++)
        {
            var column = cols.Slice(t * plane, plane);
            for (int o = 0; o < outputs; o++)
            {
                T dot = TensorPrimitives.Dot(column, gy.Slice(o * plane, plane));
                target[t * outputs + o] = accumulate ? target[t * outputs + o] + dot : dot;
            }
        }
    }

    /// <summary>
    /// The column matrix of the sample starting at <paramref name="start"/> in <paramref name="x"/>:
    /// the image itself for a pointwise kernel, otherwise im2col into a rented array (returned
    /// as <c>Rented</c>, for the caller to give back).
    /// </summary>
    private static (T[] Columns, int Offset, T[]? Rented) Columns<T>(T[] x, int start, Conv2dGeometry g)
        where T : unmanaged, INumberBase<T>
    {
        var win = g.Window;
        if (win.IsPointwise) return (x, start, null);
        int length = g.InChannels * win.KernelArea * win.OutputPlane;
        var cols = ArrayPool<T>.Shared.Rent(length);
        Im2Col.Unfold<T>(x.AsSpan(start, g.InChannels * win.InputPlane), g.InChannels, win, cols.AsSpan(0, length));
        return (cols, 0, cols);
    }
}
