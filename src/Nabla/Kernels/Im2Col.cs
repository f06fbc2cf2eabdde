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
/// suffix; the middle is a strided gather, or with stride 1 a contiguous copy. A "same"
/// convolution (stride 1, output as wide as the input: 3×3 with padding 1) has a faster path: each
/// row of the matrix is the image plane shifted by a constant, so it is one copy (or one add, for
/// the adjoint) over the whole plane, with the few entries that wrapped round a line edge fixed
/// after. Per line copies of 14 values would cost more in calls than in copying.
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
                    if (IsShift(w))
                    {
                        var (from, to, shift) = ShiftedRange(w, i, j);
                        target[..from].Clear();
                        target[to..].Clear();
                        if (to == from) continue; // the tap sees only padding
                        plane.Slice(from + shift, to - from).CopyTo(target[from..to]);
                        ClearWrappedEntries(w, j, from, to, target);
                        continue;
                    }
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
    /// <remarks>
    /// <paramref name="columns"/> is scratch: entries that stand for padding may be set to zero
    /// (the "same" convolution path adds whole shifted planes, and a padding entry would otherwise
    /// land on the neighbouring line). Each image element still receives its terms row by row, in
    /// the same order on either path.
    /// </remarks>
    public static void FoldAdd<T>(Span<T> columns, int channels, in Window2d w, Span<T> image)
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
                    if (IsShift(w))
                    {
                        var (from, to, shift) = ShiftedRange(w, i, j);
                        if (to == from) continue;
                        ClearWrappedEntries(w, j, from, to, source);
                        var span = plane.Slice(from + shift, to - from);
                        TensorPrimitives.Add(span, source[from..to], span);
                        continue;
                    }
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

    /// <summary>Whether every row of the column matrix is the image plane shifted by a constant (stride 1, output as wide as the input).</summary>
    private static bool IsShift(in Window2d w) => w.StrideHeight == 1 && w.StrideWidth == 1 && w.OutputWidth == w.InputWidth;

    /// <summary>
    /// For tap (i, j) of a shift window: the flat output range [start, end) whose input, at flat
    /// position output + shift, lies inside the plane (whole output lines in range, trimmed where
    /// the first or last element would fall off the plane), and the shift. Outside the range the
    /// row is padding; inside it, only the entries <see cref="ClearWrappedEntries"/> clears are.
    /// </summary>
    private static (int Start, int End, int Shift) ShiftedRange(in Window2d w, int i, int j)
    {
        int width = w.OutputWidth;
        int dy = i * w.DilationHeight - w.PaddingHeight, dx = j * w.DilationWidth - w.PaddingWidth;
        int shift = dy * width + dx;
        // Output lines oy with 0 <= oy + dy < H.
        int firstLine = Math.Clamp(-dy, 0, w.OutputHeight), endLine = Math.Clamp(w.InputHeight - dy, firstLine, w.OutputHeight);
        int start = Math.Clamp(Math.Max(firstLine * width, -shift), 0, w.OutputPlane);
        int end = Math.Clamp(Math.Min(endLine * width, w.InputPlane - shift), start, w.OutputPlane);
        return (start, end, shift);
    }

    /// <summary>
    /// Zeros, in each output line within [start, end) of a shift row, the entries outside the
    /// line's valid x-range for tap column <paramref name="j"/>: they read across a line edge.
    /// </summary>
    /// <remarks>
    /// These are one or two entries per line for a 3×3 kernel: written one by one, since a
    /// <see cref="Span{T}.Clear"/> call per line costs more than the writes (conv 16→32 3×3 on
    /// 14×14 clears about 1,300 of them per sample, in im2col and again in col2im).
    /// </remarks>
    private static void ClearWrappedEntries<T>(in Window2d w, int j, int start, int end, Span<T> row)
        where T : unmanaged
    {
        int width = w.OutputWidth;
        var (first, last) = ValidRange(j * w.DilationWidth - w.PaddingWidth, 1, w.InputWidth, width);
        if (first == 0 && last == width) return;
        last = Math.Max(first, last);
        for (int lineStart = start / width * width; lineStart < end; lineStart += width)
        {
            var line = row.Slice(lineStart, width);
            for (int x = 0; x < first; x++) line[x] = default;
            for (int x = last; x < width; x++) line[x] = default;
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
