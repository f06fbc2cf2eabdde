using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// The sliding window of a 2-D convolution or pooling node, from its kernel_shape, strides and pads attributes,
/// refusing what Nabla's layers do not do: auto_pad other than NOTSET, dilations other than 1, and pads that
/// differ at the two ends of an axis.
/// </summary>
/// <param name="Kernel">The window's (height, width).</param>
/// <param name="Stride">The step between windows (height, width).</param>
/// <param name="Padding">The padding on each side (height, width).</param>
internal sealed record Window2d((int Height, int Width) Kernel, (int Height, int Width) Stride, (int Height, int Width) Padding)
{
    /// <summary>The window of <paramref name="node"/>; <paramref name="kernel"/> is the weight's when the node has one, else its kernel_shape.</summary>
    /// <exception cref="InvalidDataException">An attribute is missing, of the wrong length or not supported; the message names the node.</exception>
    public static Window2d Read(OnnxGraph graph, NodeProto node, NodeAttributes attributes, (int Height, int Width)? kernel)
    {
        string autoPad = attributes.String("auto_pad", "NOTSET");
        if (autoPad != "NOTSET")
            throw graph.Error(node, $"auto_pad = \"{autoPad}\" is not supported; Nabla reads explicit pads (auto_pad NOTSET)");
        if (attributes.Ints("dilations") is { } dilations && dilations.Any(d => d != 1))
            throw graph.Error(node, $"dilations {SampleShape.Format(dilations)} are not supported; Nabla imports windows without dilation (1, 1)");
        var shape = Pair(graph, node, "kernel_shape", attributes.Ints("kernel_shape"));
        if (shape is null && kernel is null) throw graph.Error(node, "kernel_shape is missing");
        if (shape is not null && kernel is not null && shape != kernel)
            throw graph.Error(node, $"kernel_shape [{shape.Value.Height}, {shape.Value.Width}] differs from its weight's [{kernel.Value.Height}, {kernel.Value.Width}]");
        var stride = Pair(graph, node, "strides", attributes.Ints("strides")) ?? (1, 1);
        var pads = attributes.Ints("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Any(p => p < 0 || p > int.MaxValue))
            throw graph.Error(node, $"pads {SampleShape.Format(pads)} are not 4 non-negative numbers (top, left, bottom, right)");
        if (pads[0] != pads[2] || pads[1] != pads[3])
            throw graph.Error(node, $"pads {SampleShape.Format(pads)} are asymmetric (top, left, bottom, right); Nabla pads both ends of an axis alike");
        return new Window2d((shape ?? kernel)!.Value, stride, ((int)pads[0], (int)pads[1]));
    }

    /// <summary>
    /// The per-sample output shape [channels, height, width] of the window sliding over <paramref name="input"/> [channels, height, width]:
    /// <paramref name="channels"/> of them (a convolution's), or the input's (a pooling's) when null.
    /// </summary>
    /// <exception cref="InvalidDataException">The input is not an image, or the window does not fit in it.</exception>
    public int[] Output(OnnxGraph graph, NodeProto node, int[] input, int? channels = null)
    {
        if (input.Length != 3)
            throw graph.Error(node, $"it reads per-sample images [channels, height, width], but the per-sample shape reaching it is {SampleShape.Format(input)}");
        long height = ((long)input[1] + 2L * Padding.Height - Kernel.Height) / Stride.Height + 1;
        long width = ((long)input[2] + 2L * Padding.Width - Kernel.Width) / Stride.Width + 1;
        if (input[1] + 2L * Padding.Height < Kernel.Height || input[2] + 2L * Padding.Width < Kernel.Width)
            throw graph.Error(node, $"its {Kernel.Height}×{Kernel.Width} window is larger than the padded input {SampleShape.Format(input)}");
        if (height > int.MaxValue || width > int.MaxValue)
            throw graph.Error(node, $"its output would be {height}×{width} a channel, more than Nabla can hold");
        return [channels ?? input[0], (int)height, (int)width];
    }

    /// <summary>Fails unless the padding is at most half the window, as PyTorch's pooling layers require (a window must reach the input).</summary>
    public void RequirePoolPadding(OnnxGraph graph, NodeProto node)
    {
        if (Padding.Height > Kernel.Height / 2 || Padding.Width > Kernel.Width / 2)
            throw graph.Error(node, $"padding ({Padding.Height}, {Padding.Width}) is more than half its {Kernel.Height}×{Kernel.Width} window");
    }

    /// <summary>A (height, width) attribute of two positive numbers, or null when absent.</summary>
    private static (int Height, int Width)? Pair(OnnxGraph graph, NodeProto node, string name, long[]? values)
    {
        if (values is null) return null;
        if (values.Length != 2 || values.Any(v => v < 1 || v > int.MaxValue))
            throw graph.Error(node, $"{name} {SampleShape.Format(values)} is not 2 positive numbers (a 2-D window)");
        return ((int)values[0], (int)values[1]);
    }
}
