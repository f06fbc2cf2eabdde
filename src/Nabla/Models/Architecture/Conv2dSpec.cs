using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A 2-D convolution with a square kernel and bias (<see cref="NN.Conv2d"/>) over (channels, height,
/// width) samples; JSON kind "conv2d".
/// </summary>
/// <param name="InChannels">Channels of the input (JSON "in_channels").</param>
/// <param name="OutChannels">Channels of the output (JSON "out_channels").</param>
/// <param name="KernelSize">Kernel height and width (JSON "kernel_size").</param>
/// <param name="Stride">Step between windows (JSON "stride").</param>
/// <param name="Padding">Zeros added on each side (JSON "padding").</param>
public sealed record Conv2dSpec(int InChannels, int OutChannels, int KernelSize, int Stride = 1, int Padding = 0) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "conv2d";

    /// <inheritdoc/>
    public override string Description => $"Conv2d({InChannels} → {OutChannels}, {KernelSize}×{KernelSize}, stride {Stride}, padding {Padding})";

    internal override int[] OutputShape(int[] input, int index)
    {
        RequirePositive(index, "in_channels", InChannels);
        RequirePositive(index, "out_channels", OutChannels);
        RequirePositive(index, "kernel_size", KernelSize);
        RequirePositive(index, "stride", Stride);
        if (Padding < 0) throw Invalid(index, $"padding must be a non-negative integer, got {Padding}");
        // PyTorch accepts any padding here (its limit of half the kernel is for pooling), but an output
        // row or column further out than kernel − 1 sees padding zeros only: the bias, nothing learnt.
        // A full convolution pads kernel − 1; more only makes the activations, and the memory, grow.
        if (Padding >= KernelSize)
            throw Invalid(index, $"padding {Padding} must be smaller than the kernel size {KernelSize}: with more, the outer rows and columns of the output see only padding zeros");
        RequireImage(index, input, InChannels);
        return [OutChannels, Slide(input, 1, index), Slide(input, 2, index)];
    }

    /// <summary>The output size along axis <paramref name="axis"/>: ⌊(size + 2·padding − kernel) / stride⌋ + 1.</summary>
    private int Slide(int[] input, int axis, int index)
    {
        long padded = (long)input[axis] + 2L * Padding;
        if (padded < KernelSize)
            throw Invalid(index, $"the {KernelSize}×{KernelSize} kernel is larger than the padded input {Shapes.Format(input)} (padding {Padding})");
        long size = (padded - KernelSize) / Stride + 1;
        if (size > int.MaxValue) throw Invalid(index, $"the output would be {size} wide, too large");
        return (int)size;
    }

    /// <summary>The columns the input is unfolded into (im2col), one per output position, (in_channels · kernel²) values each; none for a 1×1 kernel that neither strides nor pads, which reads its input as it is.</summary>
    internal override long ScratchPerSample(int[] input, int[] output) =>
        KernelSize == 1 && Stride == 1 && Padding == 0 ? 0 : (long)InChannels * KernelSize * KernelSize * output[1] * output[2];

    internal override Module Build(DType dtype, Generator generator) =>
        new Conv2d(InChannels, OutChannels, KernelSize, Stride, Padding, generator: generator, dtype: dtype);

    internal override bool Matches(Module module) =>
        module is Conv2d { Bias: not null, Groups: 1, Dilation: (1, 1) } conv && conv.InChannels == InChannels && conv.OutChannels == OutChannels
        && conv.KernelSize == (KernelSize, KernelSize) && conv.Stride == (Stride, Stride) && conv.Padding == (Padding, Padding);

    internal override IEnumerable<ExpectedTensor> State =>
        [new("weight", [OutChannels, InChannels, KernelSize, KernelSize], true), new("bias", [OutChannels], true)];
}
