using Nabla.Kernels;

namespace Nabla;

// The sliding window that convolution and pooling share, checked against the input it slides over.
public sealed partial class Tensor
{
    /// <summary>
    /// <see cref="Window2d.Create"/> (which checks the settings), then the check that the dilated kernel
    /// fits the padded input, named with <paramref name="describe"/> ("input [1, 1, 3, 3], weight [2, 1, 5, 5]").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ShapeMismatchException">The kernel is larger than the padded input.</exception>
    private static Window2d SlidingWindow(string op, string describe, int inputHeight, int inputWidth, (int H, int W) kernel,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        var window = Window2d.Create(op, inputHeight, inputWidth, kernel, stride, padding, dilation, ceilMode);
        if (!window.FitsInput)
            throw new ShapeMismatchException(
                $"{op}: {describe}: {(dilation == (1, 1) ? "kernel" : "dilated kernel")} {window.KernelSpanHeight}x{window.KernelSpanWidth} is larger than the padded input {window.PaddedHeight}x{window.PaddedWidth}.");
        return window;
    }
}
