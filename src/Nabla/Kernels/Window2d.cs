namespace Nabla.Kernels;

/// <summary>
/// Where a 2-D sliding window (a convolution kernel or a pooling window) falls on an H×W plane:
/// kernel size, stride, zero padding and dilation per axis, and the output size they give.
/// </summary>
/// <remarks>
/// Output size per axis, as PyTorch: ⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1,
/// rounded up instead with <see cref="CeilMode"/>, where a last window that would start inside the
/// right padding is dropped. The constructor trusts its arguments; <see cref="Create"/> checks them.
/// </remarks>
internal readonly struct Window2d
{
    public readonly int InputHeight, InputWidth, KernelHeight, KernelWidth, StrideHeight, StrideWidth;
    public readonly int PaddingHeight, PaddingWidth, DilationHeight, DilationWidth;
    public readonly bool CeilMode;
    public readonly int OutputHeight, OutputWidth;

    private Window2d(int inputHeight, int inputWidth, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        (InputHeight, InputWidth) = (inputHeight, inputWidth);
        (KernelHeight, KernelWidth) = kernel;
        (StrideHeight, StrideWidth) = stride;
        (PaddingHeight, PaddingWidth) = padding;
        (DilationHeight, DilationWidth) = dilation;
        CeilMode = ceilMode;
        OutputHeight = OutputSize(inputHeight, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        OutputWidth = OutputSize(inputWidth, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
    }

    /// <summary>Output positions per plane, OH·OW (the columns of the im2col matrix).</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Elements per input plane, H·W.</summary>
    public int InputPlane => InputHeight * InputWidth;

    /// <summary>Kernel taps per channel, kH·kW.</summary>
    public int KernelArea => KernelHeight * KernelWidth;

    /// <summary>Whether every output reads exactly one input at the same place (a 1×1 kernel, stride 1, no padding): im2col is the identity.</summary>
    public bool IsPointwise => KernelArea == 1 && StrideHeight == 1 && StrideWidth == 1 && PaddingHeight == 0 && PaddingWidth == 0;

    /// <summary>Rows the dilated kernel spans, dilation·(kH − 1) + 1.</summary>
    public int KernelSpanHeight => DilationHeight * (KernelHeight - 1) + 1;

    /// <summary>Columns the dilated kernel spans, dilation·(kW − 1) + 1.</summary>
    public int KernelSpanWidth => DilationWidth * (KernelWidth - 1) + 1;

    /// <summary>H of the input plane with its padding on both sides.</summary>
    public int PaddedHeight => InputHeight + 2 * PaddingHeight;

    /// <summary>W of the input plane with its padding on both sides.</summary>
    public int PaddedWidth => InputWidth + 2 * PaddingWidth;

    /// <summary>Whether the (dilated) kernel fits the padded input, so there is at least one output position.</summary>
    public bool FitsInput => KernelSpanHeight <= PaddedHeight && KernelSpanWidth <= PaddedWidth;

    /// <summary>
    /// The window for an input plane of <paramref name="inputHeight"/>×<paramref name="inputWidth"/>,
    /// with every setting checked: positive kernel, stride and dilation, padding at least 0. Whether the
    /// kernel fits the padded input is left to the caller (<see cref="FitsInput"/>), which names the shapes.
    /// </summary>
    /// <param name="op">The op named in errors.</param>
    /// <param name="inputHeight">H of the input plane.</param>
    /// <param name="inputWidth">W of the input plane.</param>
    /// <param name="kernel">Window size (height, width).</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="padding">Padding on each side.</param>
    /// <param name="dilation">Spacing between taps.</param>
    /// <param name="ceilMode">Round the output size up rather than down.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static Window2d Create(string op, int inputHeight, int inputWidth, (int H, int W) kernel,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        RequireAtLeast(op, "kernel size", kernel, 1);
        RequireAtLeast(op, "stride", stride, 1);
        RequireAtLeast(op, "padding", padding, 0);
        RequireAtLeast(op, "dilation", dilation, 1);
        return new Window2d(inputHeight, inputWidth, kernel, stride, padding, dilation, ceilMode);
    }

    private static int OutputSize(int input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        int span = input + 2 * padding - dilation * (kernel - 1) - 1;
        int size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        // PyTorch: in ceil mode the last window must start inside the input or the left padding.
        if (ceilMode && (size - 1) * stride >= input + padding)
            size--;
        return size;
    }

    private static void RequireAtLeast(string op, string what, (int H, int W) value, int least)
    {
        if (value.H < least || value.W < least)
            throw new ArgumentOutOfRangeException(what, $"{op}: {what} must be at least {least}, got {value.H}x{value.W}.");
    }
}
