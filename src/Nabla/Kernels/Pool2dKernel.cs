using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Max and average pooling over the planes of NCHW data (each (n, c) plane on its own), and the
/// adjoint of each: scattering gradients back to the argmax, or spreading them over the window.
/// </summary>
/// <remarks>
/// Planes run in parallel; each output depends on one plane only, so the split does not change
/// any result. Windows skip padding: max pooling pads with −∞ and average pooling with zeros.
/// </remarks>
internal static class Pool2dKernel
{
    /// <summary>
    /// y = the largest value under each window; <paramref name="argmax"/> its position in the input
    /// plane (y·W + x), the first on ties and a NaN if any, as PyTorch.
    /// </summary>
    public static void Max<T>(T[] x, T[] y, int[] argmax, int planes, Window2d w)
        where T : unmanaged, INumber<T>
    {
        if (InsideInput(w))
        {
            Parallelism.For(planes, p => MaxInside(x.AsSpan(p * w.InputPlane, w.InputPlane), y.AsSpan(p * w.OutputPlane, w.OutputPlane),
                argmax.AsSpan(p * w.OutputPlane, w.OutputPlane), w));
            return;
        }
        Parallelism.For(planes, p =>
        {
            var source = x.AsSpan(p * w.InputPlane, w.InputPlane);
            int output = p * w.OutputPlane;
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
        Parallelism.For(planes, p =>
        {
            for (int k = p * outputPlane, end = k + outputPlane; k < end; k++)
                y[k] = x[p * inputPlane + index[k]];
        });
    }

    /// <summary>x[p, index[p, k]] += y[p, k] for every plane p (the adjoint of <see cref="Gather"/>); x must hold zeros.</summary>
    public static void ScatterAdd<T>(T[] y, T[] x, int[] index, int planes, int inputPlane, int outputPlane)
        where T : INumberBase<T>
    {
        Parallelism.For(planes, p =>
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
        Parallelism.For(planes, p =>
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
        Parallelism.For(planes, p =>
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
