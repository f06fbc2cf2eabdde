using System.Buffers;
using Nabla.Kernels;

namespace Nabla;

// Max and average pooling over NCHW tensors, as torch.nn.functional.max_pool2d and avg_pool2d.
public sealed partial class Tensor
{
    /// <summary>
    /// The largest value under each kernelSize×kernelSize window of every plane of an (N, C, H, W)
    /// or (C, H, W) tensor, as <c>torch.nn.functional.max_pool2d</c>; padding counts as −∞.
    /// </summary>
    /// <param name="kernelSize">Window size, both axes.</param>
    /// <param name="stride">Step between windows, both axes; the kernel size when null.</param>
    /// <param name="padding">Padding on each side, at most half the kernel size.</param>
    /// <param name="dilation">Spacing between window taps.</param>
    /// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
    /// <remarks>Derivative: each output's gradient goes to the input it took (the first of equal maxima), saved during the forward pass.</remarks>
    /// <exception cref="ShapeMismatchException">The tensor is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the padding exceeds half the kernel.</exception>
    public Tensor MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        => MaxPool2d((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>Max pooling with a separate (height, width) window, stride, padding and dilation; otherwise as <see cref="MaxPool2d(int, int?, int, int, bool)"/>.</summary>
    /// <param name="kernelSize">Window size (height, width).</param>
    /// <param name="stride">Step between windows; the kernel size when null.</param>
    /// <param name="padding">Padding on each side, at most half the kernel size.</param>
    /// <param name="dilation">Spacing between window taps; (1, 1) when null.</param>
    /// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
    /// <exception cref="ShapeMismatchException">The tensor is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the padding exceeds half the kernel.</exception>
    public Tensor MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width) padding = default, (int Height, int Width)? dilation = null, bool ceilMode = false)
    {
        if (Rank == 3)
            return Unsqueeze(0).MaxPool2d(kernelSize, stride, padding, dilation, ceilMode).Squeeze(0);
        var w = PoolWindow(nameof(MaxPool2d), kernelSize, stride, padding, dilation ?? (1, 1), ceilMode);
        int planes = _shape[0] * _shape[1];
        int[] outShape = [_shape[0], _shape[1], w.OutputHeight, w.OutputWidth];
        var y = Uninitialized(outShape, DType);
        if (!Graph.ShouldRecord(this))
        {
            // Nothing will scatter gradients back, so the positions only need a scratch buffer.
            var positions = ArrayPool<int>.Shared.Rent(y.Length);
            MaxInto(y, positions, planes, w);
            ArrayPool<int>.Shared.Return(positions);
            return y;
        }
        var argmax = Uninitialized(outShape, DType.Int32);
        MaxInto(y, argmax.Int32Data, planes, w);
        return Graph.Record(nameof(MaxPool2d), [this], y, static (g, n, argmax) => [g.ScatterToPlanes(argmax, n.Inputs[0]._shape)], argmax);
    }

    /// <summary>Max pooling of this checked (N, C, H, W) tensor into <paramref name="y"/>, each maximum's plane position into <paramref name="argmax"/>.</summary>
    private void MaxInto(Tensor y, int[] argmax, int planes, Window2d w)
    {
        if (DType == DType.Float32) Pool2dKernel.Max(Float32Data, y.Float32Data, argmax, planes, w);
        else Pool2dKernel.Max(Float64Data, y.Float64Data, argmax, planes, w);
    }

    /// <summary>
    /// The mean of each kernelSize×kernelSize window of every plane of an (N, C, H, W) or (C, H, W)
    /// tensor, as <c>torch.nn.functional.avg_pool2d</c>; padding counts as zeros.
    /// </summary>
    /// <param name="kernelSize">Window size, both axes.</param>
    /// <param name="stride">Step between windows, both axes; the kernel size when null.</param>
    /// <param name="padding">Zero padding on each side, at most half the kernel size.</param>
    /// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
    /// <param name="countIncludePad">Divide by the window size including padding (true, as PyTorch) or by the inputs it covers.</param>
    /// <remarks>Derivative: each output's gradient, divided as in the forward pass, spread over its window.</remarks>
    /// <exception cref="ShapeMismatchException">The tensor is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the padding exceeds half the kernel.</exception>
    public Tensor AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        => AvgPool2d((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad);

    /// <summary>Average pooling with a separate (height, width) window, stride and padding; otherwise as <see cref="AvgPool2d(int, int?, int, bool, bool)"/>.</summary>
    /// <param name="kernelSize">Window size (height, width).</param>
    /// <param name="stride">Step between windows; the kernel size when null.</param>
    /// <param name="padding">Zero padding on each side, at most half the kernel size.</param>
    /// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
    /// <param name="countIncludePad">Divide by the window size including padding, or by the inputs it covers.</param>
    /// <exception cref="ShapeMismatchException">The tensor is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the padding exceeds half the kernel.</exception>
    public Tensor AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width) padding = default, bool ceilMode = false, bool countIncludePad = true)
    {
        if (Rank == 3)
            return Unsqueeze(0).AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad).Squeeze(0);
        var w = PoolWindow(nameof(AvgPool2d), kernelSize, stride, padding, (1, 1), ceilMode);
        return Average(w, countIncludePad);
    }

    /// <summary>Checks a pooling input and its settings and returns the window.</summary>
    private Window2d PoolWindow(string op, (int H, int W) kernel, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        RequireFloatingPoint(op);
        return PoolWindow(op, _shape, kernel, stride, padding, dilation, ceilMode);
    }

    /// <summary>Checks the shape of a pooling input and the settings, and returns the window.</summary>
    private static Window2d PoolWindow(string op, int[] shape, (int H, int W) kernel, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        if (shape.Length != 4)
            throw new ShapeMismatchException($"{op}: input {Shapes.Format(shape)}: the input must be (N, C, H, W) or unbatched (C, H, W).");
        var window = SlidingWindow(op, $"input {Shapes.Format(shape)}", shape[2], shape[3], kernel, stride ?? kernel, padding, dilation, ceilMode);
        // As PyTorch: a window centred on the edge must still cover an input element.
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentOutOfRangeException(nameof(padding),
                $"{op}: padding must be at most half the kernel size, got padding {padding.H}x{padding.W} for kernel {kernel.H}x{kernel.W}.");
        return window;
    }

    /// <summary>Average pooling of a checked (N, C, H, W) tensor; its derivative is <see cref="SpreadOverWindows"/>.</summary>
    private Tensor Average(Window2d w, bool countIncludePad)
    {
        int planes = _shape[0] * _shape[1];
        var y = Uninitialized([_shape[0], _shape[1], w.OutputHeight, w.OutputWidth], DType);
        if (DType == DType.Float32) Pool2dKernel.Average(Float32Data, y.Float32Data, planes, w, countIncludePad);
        else Pool2dKernel.Average(Float64Data, y.Float64Data, planes, w, countIncludePad);
        return Graph.Record(nameof(AvgPool2d), [this], y, static (g, n, pooling) =>
            [g.SpreadOverWindows(pooling.Window, pooling.CountIncludePad, n.Inputs[0]._shape)], (Window: w, CountIncludePad: countIncludePad));
    }

    /// <summary>The adjoint of average pooling: each gradient, divided as in the forward pass, added over its window. Its derivative is average pooling.</summary>
    private Tensor SpreadOverWindows(Window2d w, bool countIncludePad, int[] inputShape)
    {
        int planes = inputShape[0] * inputShape[1];
        var x = Empty(inputShape, DType);
        if (DType == DType.Float32) Pool2dKernel.AverageAdjoint(Float32Data, x.Float32Data, planes, w, countIncludePad);
        else Pool2dKernel.AverageAdjoint(Float64Data, x.Float64Data, planes, w, countIncludePad);
        return Graph.Record("AvgPool2dBackward", [this], x, static (h, _, pooling) =>
            [h.Average(pooling.Window, pooling.CountIncludePad)], (Window: w, CountIncludePad: countIncludePad));
    }

    /// <summary>
    /// Zeros of <paramref name="inputShape"/> with each element of this (N, C, OH, OW) tensor added
    /// at its plane position in <paramref name="argmax"/>: the max-pooling derivative. Its own
    /// derivative gathers from the same positions.
    /// </summary>
    private Tensor ScatterToPlanes(Tensor argmax, int[] inputShape)
    {
        int planes = inputShape[0] * inputShape[1], inputPlane = inputShape[2] * inputShape[3], outputPlane = _shape[2] * _shape[3];
        var x = Empty(inputShape, DType);
        if (DType == DType.Float32) Pool2dKernel.ScatterAdd(Float32Data, x.Float32Data, argmax.Int32Data, planes, inputPlane, outputPlane);
        else Pool2dKernel.ScatterAdd(Float64Data, x.Float64Data, argmax.Int32Data, planes, inputPlane, outputPlane);
        return Graph.Record("MaxPool2dBackward", [this], x, static (h, _, argmax) => [h.GatherFromPlanes(argmax)], argmax);
    }

    /// <summary>The element of each plane at <paramref name="argmax"/>: max pooling with known positions, the adjoint of <see cref="ScatterToPlanes"/>.</summary>
    private Tensor GatherFromPlanes(Tensor argmax)
    {
        int[] shape = argmax._shape;
        int planes = shape[0] * shape[1], inputPlane = _shape[2] * _shape[3], outputPlane = shape[2] * shape[3];
        var y = Empty(shape, DType);
        if (DType == DType.Float32) Pool2dKernel.Gather(Float32Data, y.Float32Data, argmax.Int32Data, planes, inputPlane, outputPlane);
        else Pool2dKernel.Gather(Float64Data, y.Float64Data, argmax.Int32Data, planes, inputPlane, outputPlane);
        return Graph.Record("MaxPool2dGather", [this], y, static (g, n, argmax) => [g.ScatterToPlanes(argmax, n.Inputs[0]._shape)], argmax);
    }
}
