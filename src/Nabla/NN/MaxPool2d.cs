namespace Nabla.NN;

/// <summary>
/// Max pooling over each plane of an (N, C, H, W) or (C, H, W) input, as <c>torch.nn.MaxPool2d</c>;
/// no parameters. See <see cref="Tensor.MaxPool2d(int, int?, int, int, bool)"/>.
/// </summary>
/// <param name="kernelSize">Window size, both axes.</param>
/// <param name="stride">Step between windows; the kernel size when null.</param>
/// <param name="padding">Padding on each side (−∞), at most half the kernel.</param>
/// <param name="dilation">Spacing between window taps.</param>
/// <param name="ceilMode">Round the output size up, so a partial last window is kept.</param>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) : Module
{
    /// <summary>Window size, both axes.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Padding on each side.</summary>
    public int Padding { get; } = padding;

    /// <summary>Spacing between window taps.</summary>
    public int Dilation { get; } = dilation;

    /// <summary>Whether the output size is rounded up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <summary>The largest value under each window.</summary>
    /// <exception cref="ShapeMismatchException">The input is not 3-D or 4-D, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2d(KernelSize, Stride, Padding, Dilation, CeilMode);
    }
}
