namespace Nabla.NN;

/// <summary>
/// Average pooling over each plane of an (N, C, H, W) or (C, H, W) input, as
/// <c>torch.nn.AvgPool2d</c>; no parameters. See <see cref="Tensor.AvgPool2d(int, int?, int, bool, bool)"/>.
/// </summary>
/// <param name="kernelSize">Window size, both axes.</param>
/// <param name="stride">Step between windows; the kernel size when null.</param>
/// <param name="padding">Zero padding on each side, at most half the kernel.</param>
/// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
/// <param name="countIncludePad">Divide by the window size including padding (as PyTorch), or by the inputs covered.</param>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) : Module
{
    /// <summary>Window size, both axes.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; } = padding;

    /// <summary>Whether the output size is rounded up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <summary>Whether padding counts in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <summary>The mean of each window.</summary>
    /// <exception cref="ShapeMismatchException">The input is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2d(KernelSize, Stride, Padding, CeilMode, CountIncludePad);
    }
}
