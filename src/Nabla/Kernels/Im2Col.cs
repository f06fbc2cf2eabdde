using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// im2col and its adjoint col2im: between a C×H×W image and the (C·kH·kW)×(OH·OW) matrix whose
/// column j holds the input values under the window of output position j, zeros where the window
/// covers padding. A convolution is then one GEMM, W[O×C·kH·kW] · columns.
/// </summary>
/// <remarks>
/// Row r = (c·kH + i)·kW + j of the matrix is tap (i, j) of channel c: the same order as the
/// weight's (C, kH, kW) layout, so weight rows multiply the matrix without a reshuffle.
/// For each row, output x-positions whose input falls outside the image form a prefix and a
/// suffix; the middle is a strided gather, or with stride 1 a contiguous copy.
/// </remarks>
internal static class Im2Col
{
    /// <summary>Writes the column matrix of <paramref name="image"/> (C×H×W) into <paramref name="columns"/> ((C·kH·kW)×(OH·OW)).</summary>
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, in Window2d w, Span<T> columns)
        where T : unmanaged, INumberBase<T>
    {
        int outH = w.OutputHeight, outW = w.OutputWidth, inH = w.InputHeight, inW = w.InputWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * w.InputPlane, w.InputPlane);
            for (int i = 0; i < w.KernelHeight; i++)
                for (int j = 0; j < w.KernelWidth; j++, row++)
                {
                    var target = columns.Slice(row * w.OutputPlane, w.OutputPlane);
                    int dx = j * w.DilationWidth - w.PaddingWidth;
                    var (first, end) = ValidRange(dx, w.StrideWidth, inW, outW);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        var line = target.Slice(oy * outW, outW);
                        int y = oy * w.StrideHeight + i * w.DilationHeight - w.PaddingHeight;
                        if ((uint)y >= (uint)inH || first >= end)
                        {
                            line.Clear();
                            continue;
                        }
                        line[..first].Clear();
                        line[end..].Clear();
                        var source = plane.Slice(y * inW, inW);
                        if (w.StrideWidth == 1)
                            source.Slice(first + dx, end - first).CopyTo(line[first..end]);
                        else
                            for (int ox = first, x = first * w.StrideWidth + dx; ox < end; ox++, x += w.StrideWidth)
                                line[ox] = source[x];
                    }
                }
        }
    }

    /// <summary>
    /// Adds each column-matrix entry back onto the image position it was read from (the adjoint of
    /// <see cref="Unfold"/>): <paramref name="image"/> += col2im(<paramref name="columns"/>).
    /// </summary>
    public static void FoldAdd<T>(ReadOnlySpan<T> columns, int channels, in Window2d w, Span<T> image)
        where T : unmanaged, INumberBase<T>
    {
        int outH = w.OutputHeight, outW = w.OutputWidth, inH = w.InputHeight, inW = w.InputWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * w.InputPlane, w.InputPlane);
            for (int i = 0; i < w.KernelHeight; i++)
                for (int j = 0; j < w.KernelWidth; j++, row++)
                {
                    var source = columns.Slice(row * w.OutputPlane, w.OutputPlane);
                    int dx = j * w.DilationWidth - w.PaddingWidth;
                    var (first, end) = ValidRange(dx, w.StrideWidth, inW, outW);
                    if (first >= end) continue;
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int y = oy * w.StrideHeight + i * w.DilationHeight - w.PaddingHeight;
                        if ((uint)y >= (uint)inH) continue;
                        var line = source.Slice(oy * outW, outW);
                        var target = plane.Slice(y * inW, inW);
                        if (w.StrideWidth == 1)
                        {
                            var span = target.Slice(first + dx, end - first);
                            TensorPrimitives.Add(span, line[first..end], span);
                        }
                        else
                        {
                            for (int ox = first, x = first * w.StrideWidth + dx; ox < end; ox++, x += w.StrideWidth)
                                target[x] += line[ox];
                        }
                    }
                }
        }
    }

    /// <summary>
    /// The output x-positions [first, end) whose input x = ox·stride + offset lies in [0, width).
    /// </summary>
    private static (int First, int End) ValidRange(int offset, int stride, int width, int outputs)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = offset >= width ? 0 : Math.Min(outputs, (width - 1 - offset) / stride + 1);
        return (Math.Min(first, outputs), Math.Max(end, 0));
    }
}
