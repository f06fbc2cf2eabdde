using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Max and average pooling over the planes of NCHW data (each (n, c) plane on its own), and the
/// adjoint of each: scattering gradients back to the argmax, or spreading them over the window.
/// </summary>
/// <remarks>
/// Planes run in parallel when there is enough work; each output depends on one plane only, so
/// the split does not change any result. Windows skip padding: max pooling pads with −∞ and average pooling with zeros.
/// </remarks>
internal static class Pool2dKernel
{
    /// <summary>
    /// y = the largest value under each window; <paramref name="argmax"/> its position in the input
    /// plane (y·W + x), the first on ties and a NaN if any, as PyTorch. The planes of x go to those of
    /// y and argmax from plane <paramref name="firstOutputPlane"/> on.
    /// </summary>
    public static void Max<T>(T[] x, T[] y, int[] argmax, int planes, Window2d w, int firstOutputPlane = 0)
        where T : unmanaged, INumber<T>
    {
        if (IsPairWindow(w))
        {
            Parallelism.For(planes, TapsPerPlane(w), p => MaxPairs(x.AsSpan(p * w.InputPlane, w.InputPlane), y.AsSpan((firstOutputPlane + p) * w.OutputPlane, w.OutputPlane),
                argmax.AsSpan((firstOutputPlane + p) * w.OutputPlane, w.OutputPlane), w.InputWidth, w.OutputHeight, w.OutputWidth));
            return;
        }
        if (InsideInput(w))
        {
            Parallelism.For(planes, TapsPerPlane(w), p => MaxInside(x.AsSpan(p * w.InputPlane, w.InputPlane), y.AsSpan((firstOutputPlane + p) * w.OutputPlane, w.OutputPlane),
                argmax.AsSpan((firstOutputPlane + p) * w.OutputPlane, w.OutputPlane), w));
            return;
        }
        Parallelism.For(planes, TapsPerPlane(w), p =>
        {
            var source = x.AsSpan(p * w.InputPlane, w.InputPlane);
            int output = (firstOutputPlane + p) * w.OutputPlane;
            for (int oy = 0; oy < w.OutputHeight; oy++)
                for (int ox = 0; ox < w.OutputWidth; ox++, output++)
                {
                    int best = -1;
                    T max = T.Zero;
                    for (int i = 0; i < w.KernelHeight; i++)
                    {
                        int iy = oy * w.StrideHeight - w.PaddingHeight + i * w.DilationHeight;
                        if ((uint)iy >= (uint)w.InputHeight) continue;
                        for (int j = 0; j < w.KernelWidth; j++)
                        {
                            int ix = ox * w.StrideWidth - w.PaddingWidth + j * w.DilationWidth;
                            if ((uint)ix >= (uint)w.InputWidth) continue;
                            T value = source[iy * w.InputWidth + ix];
                            if (best < 0 || value > max || T.IsNaN(value))
                                (best, max) = (iy * w.InputWidth + ix, value);
                        }
                    }
                    y[output] = max;
                    argmax[output] = best;
                }
        });
    }

    /// <summary>The input values one plane's windows read, in all: the work of a plane, for <see cref="Parallelism.For(int, long, Action{int})"/>.</summary>
    private static long TapsPerPlane(in Window2d w) => (long)w.OutputPlane * w.KernelArea;

    /// <summary>Whether the window is the common 2×2 at stride 2, unpadded and undilated (an odd last row or column is simply left out).</summary>
    private static bool IsPairWindow(in Window2d w) =>
        w.KernelHeight == 2 && w.KernelWidth == 2 && w.StrideHeight == 2 && w.StrideWidth == 2
        && w.PaddingHeight == 0 && w.PaddingWidth == 0 && w.DilationHeight == 1 && w.DilationWidth == 1
        && 2 * w.OutputHeight <= w.InputHeight && 2 * w.OutputWidth <= w.InputWidth;

    /// <summary>
    /// <see cref="Max{T}"/> on one plane with 2×2 windows at stride 2: the four taps of each window
    /// compared in the general loop's order (top left, top right, bottom left, bottom right), so the
    /// choice is the same: the first maximum, a NaN if any. Float32 planes go eight windows at a time.
    /// </summary>
    private static void MaxPairs<T>(ReadOnlySpan<T> source, Span<T> y, Span<int> argmax, int width, int outputHeight, int outputWidth)
        where T : unmanaged, INumber<T>
    {
        for (int oy = 0; oy < outputHeight; oy++)
        {
            int origin = 2 * oy * width;
            // Both lines run on to the end of the plane: a row narrower than a vector may read past its own windows.
            var top = source.Slice(origin);
            var bottom = source.Slice(origin + width);
            var maxima = y.Slice(oy * outputWidth, outputWidth);
            var positions = argmax.Slice(oy * outputWidth, outputWidth);
            int ox = typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated
                ? MaxPairsVector(MemoryMarshal.Cast<T, float>(top), MemoryMarshal.Cast<T, float>(bottom),
                    MemoryMarshal.Cast<T, float>(maxima), positions, origin, width)
                : 0;
            for (; ox < maxima.Length; ox++)
            {
                int left = 2 * ox;
                T max = top[left];
                int best = origin + left;
                Take(top[left + 1], origin + left + 1, ref max, ref best);
                Take(bottom[left], origin + width + left, ref max, ref best);
                Take(bottom[left + 1], origin + width + left + 1, ref max, ref best);
                maxima[ox] = max;
                positions[ox] = best;
            }
        }
    }

    /// <summary>The tap at <paramref name="position"/> becomes the maximum when it is larger or NaN; written as selects, not branches, which random data mispredicts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<T>(T value, int position, ref T max, ref int best)
        where T : INumber<T>
    {
        bool take = value > max | T.IsNaN(value);
        best = take ? position : best;
        max = take ? value : max;
    }

    /// <summary>
    /// One output row of <see cref="MaxPairs{T}"/>, eight windows at a time, without branches
    /// (random data mispredicts every comparison); returns how many windows it did: all of them
    /// when the row has at least eight, the last group then overlapping the one before it (its
    /// windows are recomputed to the same values). A narrower row (a 14-wide plane's 7 windows)
    /// is one group whose extra lanes read the start of the next lines and are thrown away, when
    /// <paramref name="top"/> and <paramref name="bottom"/> (running on past the row) hold a whole
    /// group's values; otherwise (the plane's last row) none.
    /// </summary>
    private static int MaxPairsVector(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> maxima, Span<int> positions, int origin, int width)
    {
        var split = DeinterleaveIndices();
        var lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var (right, lowerLeft, lowerRight) = (Vector256.Create(1), Vector256.Create(width), Vector256.Create(width + 1));
        int count = maxima.Length, last = count - Vector256<float>.Count;
        if (last < 0) return MaxPairsNarrow(top, bottom, maxima, positions, origin, width);
        for (int ox = 0; ; ox = Math.Min(ox + Vector256<float>.Count, last))
        {
            int left = 2 * ox;
            var (topLeft, topRight) = Deinterleave(top.Slice(left), split);
            var (bottomLeft, bottomRight) = Deinterleave(bottom.Slice(left), split);
            var max = topLeft;
            var offset = Vector256<int>.Zero;
            Take(topRight, right, ref max, ref offset);
            Take(bottomLeft, lowerLeft, ref max, ref offset);
            Take(bottomRight, lowerRight, ref max, ref offset);
            max.CopyTo(maxima.Slice(ox));
            (Vector256.Create(origin + left) + lanes + offset).CopyTo(positions.Slice(ox));
            if (ox == last) return count;
        }

        static void Take(Vector256<float> value, Vector256<int> tapOffset, ref Vector256<float> max, ref Vector256<int> offset)
        {
            var take = Vector256.GreaterThan(value, max) | ~Vector256.Equals(value, value);
            max = Vector256.ConditionalSelect(take, value, max);
            offset = Vector256.ConditionalSelect(take.AsInt32(), tapOffset, offset);
        }
    }

    /// <summary>
    /// <see cref="MaxPairsVector"/> on a row of fewer than eight windows: one group of eight into
    /// scratch lanes, of which the row's are kept; none when the lines do not hold a whole group.
    /// </summary>
    private static int MaxPairsNarrow(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> maxima, Span<int> positions, int origin, int width)
    {
        if (Math.Min(top.Length, bottom.Length) < 2 * Vector256<float>.Count) return 0;
        Span<float> maxLanes = stackalloc float[Vector256<float>.Count];
        Span<int> positionLanes = stackalloc int[Vector256<int>.Count];
        MaxPairsVector(top, bottom, maxLanes, positionLanes, origin, width);
        maxLanes[..maxima.Length].CopyTo(maxima);
        positionLanes[..positions.Length].CopyTo(positions);
        return maxima.Length;
    }

    /// <summary>Even elements to the lower half and odd to the upper: the left and right taps of four windows.</summary>
    private static Vector256<int> DeinterleaveIndices() => Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);

    /// <summary>The even and the odd elements of the 16 values at the start of <paramref name="values"/>.</summary>
    private static (Vector256<float> Even, Vector256<float> Odd) Deinterleave(ReadOnlySpan<float> values, Vector256<int> split)
    {
        var first = Vector256.Shuffle(Vector256.Create(values), split);
        var second = Vector256.Shuffle(Vector256.Create(values.Slice(Vector256<float>.Count)), split);
        return (Vector256.Create(first.GetLower(), second.GetLower()), Vector256.Create(first.GetUpper(), second.GetUpper()));
    }

    /// <summary>Whether every window lies wholly inside the input (no padding, undilated, no partial last window).</summary>
    private static bool InsideInput(in Window2d w) =>
        w.PaddingHeight == 0 && w.PaddingWidth == 0 && w.DilationHeight == 1 && w.DilationWidth == 1
        && (w.OutputHeight - 1) * w.StrideHeight + w.KernelHeight <= w.InputHeight
        && (w.OutputWidth - 1) * w.StrideWidth + w.KernelWidth <= w.InputWidth;

    /// <summary>
    /// <see cref="Max{T}"/> on one plane whose windows all lie inside it (the usual 2×2, stride 2
    /// pooling): no bounds tests per tap. Same choice as the general loop: the first maximum, a NaN if any.
    /// </summary>
    private static void MaxInside<T>(ReadOnlySpan<T> source, Span<T> y, Span<int> argmax, in Window2d w)
        where T : unmanaged, INumber<T>
    {
        int width = w.InputWidth, kernelHeight = w.KernelHeight, kernelWidth = w.KernelWidth;
        int output = 0;
        for (int oy = 0; oy < w.OutputHeight; oy++)
            for (int ox = 0, origin = oy * w.StrideHeight * width; ox < w.OutputWidth; ox++, output++, origin += w.StrideWidth)
            {
                int best = origin;
                T max = source[origin];
                for (int i = 0; i < kernelHeight; i++)
                    for (int j = 0, at = origin + i * width; j < kernelWidth; j++, at++)
                    {
                        T value = source[at];
                        if (value > max || T.IsNaN(value)) (best, max) = (at, value);
                    }
                y[output] = max;
                argmax[output] = best;
            }
    }

    /// <summary>y[p, k] = x[p, index[p, k]] for every plane p (the max-pooling forward, given its argmax).</summary>
    public static void Gather<T>(T[] x, T[] y, int[] index, int planes, int inputPlane, int outputPlane)
    {
        Parallelism.For(planes, outputPlane, p =>
        {
            for (int k = p * outputPlane, end = k + outputPlane; k < end; k++)
                y[k] = x[p * inputPlane + index[k]];
        });
    }

    /// <summary>x[p, index[p, k]] += y[p, k] for every plane p (the adjoint of <see cref="Gather"/>); x must hold zeros.</summary>
    public static void ScatterAdd<T>(T[] y, T[] x, int[] index, int planes, int inputPlane, int outputPlane)
        where T : INumberBase<T>
    {
        Parallelism.For(planes, outputPlane, p =>
        {
            for (int k = p * outputPlane, end = k + outputPlane; k < end; k++)
                x[p * inputPlane + index[k]] += y[k];
        });
    }

    /// <summary>
    /// y = the mean under each window. The divisor counts the padding with
    /// <paramref name="countIncludePad"/> (but never the part of a ceil-mode window beyond it), as PyTorch.
    /// </summary>
    public static void Average<T>(T[] x, T[] y, int planes, Window2d w, bool countIncludePad)
        where T : unmanaged, INumberBase<T>
    {
        if (IsPairWindow(w))
        {
            Parallelism.For(planes, TapsPerPlane(w), p => AveragePairs(x.AsSpan(p * w.InputPlane, w.InputPlane), y.AsSpan(p * w.OutputPlane, w.OutputPlane),
                w.InputWidth, w.OutputHeight, w.OutputWidth));
            return;
        }
        Parallelism.For(planes, TapsPerPlane(w), p =>
        {
            var source = x.AsSpan(p * w.InputPlane, w.InputPlane);
            int output = p * w.OutputPlane;
            for (int oy = 0; oy < w.OutputHeight; oy++)
                for (int ox = 0; ox < w.OutputWidth; ox++, output++)
                {
                    var (y0, y1, x0, x1, divisor) = Cell(w, oy, ox, countIncludePad);
                    T sum = T.Zero;
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            sum += source[iy * w.InputWidth + ix];
                    y[output] = sum / T.CreateChecked(divisor);
                }
        });
    }

    /// <summary>x += each output gradient divided by its divisor, over its window (the adjoint of <see cref="Average"/>); x must hold zeros.</summary>
    public static void AverageAdjoint<T>(T[] y, T[] x, int planes, Window2d w, bool countIncludePad)
        where T : unmanaged, INumberBase<T>
    {
        if (IsPairWindow(w))
        {
            Parallelism.For(planes, TapsPerPlane(w), p => SpreadPairs(y.AsSpan(p * w.OutputPlane, w.OutputPlane), x.AsSpan(p * w.InputPlane, w.InputPlane),
                w.InputWidth, w.OutputHeight, w.OutputWidth));
            return;
        }
        Parallelism.For(planes, TapsPerPlane(w), p =>
        {
            var target = x.AsSpan(p * w.InputPlane, w.InputPlane);
            int output = p * w.OutputPlane;
            for (int oy = 0; oy < w.OutputHeight; oy++)
                for (int ox = 0; ox < w.OutputWidth; ox++, output++)
                {
                    var (y0, y1, x0, x1, divisor) = Cell(w, oy, ox, countIncludePad);
                    T share = y[output] / T.CreateChecked(divisor);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            target[iy * w.InputWidth + ix] += share;
                }
        });
    }

    /// <summary>
    /// <see cref="Average{T}"/> on one plane with 2×2 windows at stride 2 (no padding, so the divisor
    /// is always 4): the taps summed in the general loop's order, so the result is the same.
    /// </summary>
    private static void AveragePairs<T>(ReadOnlySpan<T> source, Span<T> y, int width, int outputHeight, int outputWidth)
        where T : unmanaged, INumberBase<T>
    {
        T four = T.CreateChecked(4);
        for (int oy = 0; oy < outputHeight; oy++)
        {
            var top = source.Slice(2 * oy * width, 2 * outputWidth);
            var bottom = source.Slice((2 * oy + 1) * width, 2 * outputWidth);
            var means = y.Slice(oy * outputWidth, outputWidth);
            int ox = 0;
            if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
            {
                var topF = MemoryMarshal.Cast<T, float>(top);
                var bottomF = MemoryMarshal.Cast<T, float>(bottom);
                var meansF = MemoryMarshal.Cast<T, float>(means);
                var split = DeinterleaveIndices();
                for (; ox + Vector256<float>.Count <= means.Length; ox += Vector256<float>.Count)
                {
                    var (topLeft, topRight) = Deinterleave(topF.Slice(2 * ox), split);
                    var (bottomLeft, bottomRight) = Deinterleave(bottomF.Slice(2 * ox), split);
                    ((topLeft + topRight + bottomLeft + bottomRight) / Vector256.Create(4f)).CopyTo(meansF.Slice(ox));
                }
            }
            for (; ox < means.Length; ox++)
                means[ox] = (top[2 * ox] + top[2 * ox + 1] + bottom[2 * ox] + bottom[2 * ox + 1]) / four;
        }
    }

    /// <summary><see cref="AverageAdjoint{T}"/> on one plane with 2×2 windows at stride 2: each gradient over 4 added to its four taps.</summary>
    private static void SpreadPairs<T>(ReadOnlySpan<T> y, Span<T> target, int width, int outputHeight, int outputWidth)
        where T : unmanaged, INumberBase<T>
    {
        T four = T.CreateChecked(4);
        for (int oy = 0; oy < outputHeight; oy++)
        {
            var top = target.Slice(2 * oy * width, 2 * outputWidth);
            var bottom = target.Slice((2 * oy + 1) * width, 2 * outputWidth);
            var grads = y.Slice(oy * outputWidth, outputWidth);
            for (int ox = 0; ox < grads.Length; ox++)
            {
                T share = grads[ox] / four;
                top[2 * ox] += share;
                top[2 * ox + 1] += share;
                bottom[2 * ox] += share;
                bottom[2 * ox + 1] += share;
            }
        }
    }

    /// <summary>The input rows [y0, y1) and columns [x0, x1) under window (oy, ox), and its divisor.</summary>
    private static (int Y0, int Y1, int X0, int X1, int Divisor) Cell(Window2d w, int oy, int ox, bool countIncludePad)
    {
        int y0 = oy * w.StrideHeight - w.PaddingHeight, x0 = ox * w.StrideWidth - w.PaddingWidth;
        int y1 = Math.Min(y0 + w.KernelHeight, w.InputHeight + w.PaddingHeight);
        int x1 = Math.Min(x0 + w.KernelWidth, w.InputWidth + w.PaddingWidth);
        int padded = (y1 - y0) * (x1 - x0);
        (y0, x0, y1, x1) = (Math.Max(y0, 0), Math.Max(x0, 0), Math.Min(y1, w.InputHeight), Math.Min(x1, w.InputWidth));
        return (y0, y1, x0, x1, countIncludePad ? padded : (y1 - y0) * (x1 - x0));
    }
}
