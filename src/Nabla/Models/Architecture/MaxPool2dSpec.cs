using Nabla.NN;

namespace Nabla.Models;

/// <summary>Max pooling over square windows (<see cref="NN.MaxPool2d"/>, no padding) of (channels, height, width) samples; JSON kind "max_pool2d".</summary>
/// <param name="KernelSize">Window height and width (JSON "kernel_size").</param>
/// <param name="Stride">Step between windows (JSON "stride"); usually the kernel size, as PyTorch's default.</param>
public sealed record MaxPool2dSpec(int KernelSize, int Stride) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "max_pool2d";

    /// <inheritdoc/>
    public override string Description => $"MaxPool2d({KernelSize}×{KernelSize}, stride {Stride})";

    internal override int[] OutputShape(int[] input, int index)
    {
        RequirePositive(index, "kernel_size", KernelSize);
        RequirePositive(index, "stride", Stride);
        RequireImage(index, input, channels: null);
        if (input[1] < KernelSize || input[2] < KernelSize)
            throw Invalid(index, $"the {KernelSize}×{KernelSize} window is larger than the input {Shapes.Format(input)}");
        return [input[0], (input[1] - KernelSize) / Stride + 1, (input[2] - KernelSize) / Stride + 1];
    }

    internal override Module Build(DType dtype, Generator generator) => new MaxPool2d(KernelSize, Stride);

    internal override bool Matches(Module module) =>
        module is MaxPool2d { Padding: 0, Dilation: 1, CeilMode: false } pool && pool.KernelSize == KernelSize && pool.Stride == Stride;
}
