using System.Buffers;
using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// 2-D convolution over NCHW tensors, as torch.nn.functional.conv2d, and the two products its
// derivatives need. The three are one family: each one's derivative is made of the others.
public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution (strictly, cross-correlation) of an (N, C, H, W) or unbatched (C, H, W)
    /// input with a (O, C/groups, kH, kW) weight, as <c>torch.nn.functional.conv2d</c>:
    /// y[n, o] = bias[o] + Σ_c Σ_ij weight[o, c, i, j] · x[n, c, y·stride + i·dilation − padding, …].
    /// </summary>
    /// <param name="input">The images, (N, C, H, W) or (C, H, W).</param>
    /// <param name="weight">The kernels, (O, C/groups, kH, kW).</param>
    /// <param name="bias">One value per output channel (length O), or null for none.</param>
    /// <param name="stride">Step between windows, both axes.</param>
    /// <param name="padding">Zeros added on each side, both axes.</param>
    /// <param name="dilation">Spacing between kernel taps, both axes.</param>
    /// <param name="groups">Channel groups: group g sees input channels g·C/groups onward and makes output channels g·O/groups onward.</param>
    /// <returns>(N, O, OH, OW), or (O, OH, OW) for an unbatched input, with OH = ⌊(H + 2·padding − dilation·(kH − 1) − 1)/stride⌋ + 1.</returns>
    /// <remarks>
    /// Derivatives: d input = col2im(Wᵀ·G), d weight = Σₙ G·colsᵀ, d bias = G summed over N, OH, OW.
    /// Each is itself a recorded op, so gradients of gradients work.
    /// </remarks>
    /// <exception cref="ShapeMismatchException">The ranks are wrong, the channels do not match the weight and groups, the bias length is not O, or the kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">stride or dilation below 1, padding or groups out of range.</exception>
    /// <exception cref="ArgumentException">Int32 tensors, or element types that differ.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>
    /// 2-D convolution with a separate (height, width) stride, padding and dilation; otherwise as
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>.
    /// </summary>
    /// <param name="input">The images, (N, C, H, W) or (C, H, W).</param>
    /// <param name="weight">The kernels, (O, C/groups, kH, kW).</param>
    /// <param name="bias">One value per output channel (length O), or null for none.</param>
    /// <param name="stride">Step between windows (height, width).</param>
    /// <param name="padding">Zeros added on each side (height, width).</param>
    /// <param name="dilation">Spacing between kernel taps (height, width).</param>
    /// <param name="groups">Channel groups.</param>
    /// <exception cref="ShapeMismatchException">The ranks are wrong, the channels do not match the weight and groups, the bias length is not O, or the kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">stride or dilation below 1, padding or groups out of range.</exception>
    /// <exception cref="ArgumentException">Int32 tensors, or element types that differ.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups = 1)
        => Conv2d(input, weight, bias, stride, padding, dilation, groups, relu: false);

    /// <summary>
    /// max(conv(x, w) + bias, 0) as one op: what <see cref="NN.Sequential"/> runs for a convolution
    /// followed by ReLU. The rectifier is applied to each output row while the kernel still has it in
    /// cache, and the pre-activation tensor is never made; the derivative masks the gradient where
    /// the output is not positive (as ReLU's does) and goes on as the convolution's.
    /// </summary>
    internal static Tensor Conv2dRelu(Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups)
        => Conv2d(input, weight, bias, stride, padding, dilation, groups, relu: true);

    /// <summary>Checks a convolution's operands and settings, then convolves, rectifying the output when <paramref name="relu"/> is set.</summary>
    private static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 3)
            return Conv2d(input.Unsqueeze(0), weight, bias, stride, padding, dilation, groups, relu).Squeeze(0);
        var geometry = ConvolutionGeometry(input, weight, bias, stride, padding, dilation, groups);
        return relu ? ConvolveRelu(input, weight, bias, geometry) : Convolve(input, weight, bias, geometry);
    }

    /// <summary>Checks a convolution's batched operands and settings, and returns its geometry.</summary>
    private static Conv2dGeometry ConvolutionGeometry(Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckFloat(input, weight, nameof(Conv2d));
        ElementwiseDispatch.RequireSameType(input, weight, nameof(Conv2d));
        string shapes = $"input {Shapes.Format(input._shape)}, weight {Shapes.Format(weight._shape)}";
        if (input.Rank != 4)
            throw new ShapeMismatchException($"Conv2d: {shapes}: the input must be (N, C, H, W) or unbatched (C, H, W).");
        if (weight.Rank != 4)
            throw new ShapeMismatchException($"Conv2d: {shapes}: the weight must be (out channels, in channels / groups, kernel height, kernel width).");
        if (groups < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Conv2d: groups must be at least 1, got {groups}.");
        int channels = input._shape[1], outChannels = weight._shape[0];
        if (channels % groups != 0 || outChannels % groups != 0)
            throw new ShapeMismatchException($"Conv2d: {shapes}: groups {groups} must divide both the input channels ({channels}) and the output channels ({outChannels}).");
        if (weight._shape[1] * groups != channels)
            throw new ShapeMismatchException($"Conv2d: {shapes}: the input has {channels} channels, but the weight expects {weight._shape[1]} per group × {groups} group(s) = {weight._shape[1] * groups}.");
        if (bias is not null)
        {
            ElementwiseDispatch.RequireSameType(input, bias, nameof(Conv2d));
            if (bias.Rank != 1 || bias._shape[0] != outChannels)
                throw new ShapeMismatchException($"Conv2d: {shapes}: the bias must be 1-D of length {outChannels} (the output channels), got shape {Shapes.Format(bias._shape)}.");
        }
        var window = SlidingWindow(nameof(Conv2d), shapes, input._shape[2], input._shape[3], (weight._shape[2], weight._shape[3]),
            stride, padding, dilation, ceilMode: false);
        return new Conv2dGeometry(input._shape[0], channels, outChannels, groups, window);
    }

    /// <summary>The checked convolution: y = conv(x, w) + bias.</summary>
    private static Tensor Convolve(Tensor x, Tensor w, Tensor? bias, Conv2dGeometry g)
    {
        var y = ConvolutionOutput(x, w, bias, g, relu: false);
        ReadOnlySpan<Tensor> inputs = bias is null ? [x, w] : [x, w, bias];
        return Graph.Record(nameof(Conv2d), inputs, y, static (grad, n, g) => ConvolutionGradients(grad, n, g), g);
    }

    /// <summary>The checked convolution followed by ReLU: y = max(conv(x, w) + bias, 0).</summary>
    private static Tensor ConvolveRelu(Tensor x, Tensor w, Tensor? bias, Conv2dGeometry g)
    {
        var y = ConvolutionOutput(x, w, bias, g, relu: true);
        ReadOnlySpan<Tensor> inputs = bias is null ? [x, w] : [x, w, bias];
        return Graph.Record("Conv2dRelu", inputs, y, static (grad, n, g) =>
        {
            // A recorded pass needs the masked gradient as a tensor; a plain one keeps it in a scratch buffer.
            if (Graph.IsBackwardRecorded) return ConvolutionGradients(grad * MaskDispatch.Positive(n.Output!), n, g);
            return grad.DType == DType.Float32
                ? RectifiedConvolutionGradients(grad.Float32Data, n.Output!.Float32Data, n, g)
                : RectifiedConvolutionGradients(grad.Float64Data, n.Output!.Float64Data, n, g);
        }, g);
    }

    /// <summary>conv(x, w) + bias into a new tensor, rectified when <paramref name="relu"/> is set.</summary>
    private static Tensor ConvolutionOutput(Tensor x, Tensor w, Tensor? bias, Conv2dGeometry g, bool relu)
    {
        var y = Uninitialized(g.OutputShape, x.DType);
        if (x.DType == DType.Float32) Conv2dKernel.Forward(x.Float32Data, w.Float32Data, bias?.Float32Data, y.Float32Data, g, relu);
        else Conv2dKernel.Forward(x.Float64Data, w.Float64Data, bias?.Float64Data, y.Float64Data, g, relu);
        return y;
    }

    /// <summary>The gradients of a convolution node's input, weight and bias (when it has one) for output gradient <paramref name="grad"/>.</summary>
    private static Tensor?[] ConvolutionGradients(Tensor grad, Node n, Conv2dGeometry g)
    {
        var (x, w) = (n.Inputs[0], n.Inputs[1]);
        var gx = x.RequiresGrad ? ConvolutionInputGradient(grad, w, g) : null;
        var gw = w.RequiresGrad ? ConvolutionWeightGradient(x, grad, g) : null;
        if (n.Inputs.Length == 2) return [gx, gw];
        var gb = n.Inputs[2].RequiresGrad ? grad.Reshape(g.Batch, g.OutChannels, -1).Sum(2).Sum(0) : null;
        return [gx, gw, gb];
    }

    /// <summary>
    /// <see cref="ConvolutionGradients"/> of a Conv2dRelu node in a plain (unrecorded) pass: the
    /// output gradient, zeroed where the output <paramref name="y"/> is not positive, goes straight
    /// from a pooled buffer into the three products, so no tensor of the output's size is made.
    /// </summary>
    private static Tensor?[] RectifiedConvolutionGradients<T>(T[] grad, T[] y, Node n, Conv2dGeometry g)
        where T : unmanaged, INumber<T>
    {
        var masked = ArrayPool<T>.Shared.Rent(y.Length);
        try
        {
            Masks.WherePositive<T>(y, grad, masked.AsSpan(0, y.Length));
            return ConvolutionGradients(masked, n, g);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(masked);
        }
    }

    /// <summary>
    /// <see cref="ConvolutionGradients"/> in a plain (unrecorded) pass, from an output gradient held
    /// in an array (at least as long as the output) rather than a tensor.
    /// </summary>
    private static Tensor?[] ConvolutionGradients<T>(T[] grad, Node n, Conv2dGeometry g)
        where T : unmanaged, INumber<T>
    {
        var (x, w) = (n.Inputs[0], n.Inputs[1]);
        Tensor? gx = null, gw = null, gb = null;
        if (x.RequiresGrad)
        {
            gx = Uninitialized(g.InputShape, x.DType);
            Conv2dKernel.InputGradient(grad, (T[])w.Storage, (T[])gx.Storage, g);
        }
        if (w.RequiresGrad)
        {
            gw = Uninitialized(g.WeightShape, x.DType);
            Conv2dKernel.WeightGradient((T[])x.Storage, grad, (T[])gw.Storage, g);
        }
        if (n.Inputs.Length == 2) return [gx, gw];
        if (n.Inputs[2].RequiresGrad)
        {
            gb = Uninitialized([g.OutChannels], x.DType);
            Conv2dKernel.BiasGradient(grad, (T[])gb.Storage, g);
        }
        return [gx, gw, gb];
    }

    /// <summary>
    /// The gradient of conv(x, w) with respect to x, col2im(Wᵀ·G); linear in G and in W.
    /// Derivatives: d G = conv(H, W), d W = the weight gradient of conv with input H and output gradient G.
    /// </summary>
    private static Tensor ConvolutionInputGradient(Tensor grad, Tensor w, Conv2dGeometry g)
    {
        var gx = Uninitialized(g.InputShape, grad.DType);
        if (grad.DType == DType.Float32) Conv2dKernel.InputGradient(grad.Float32Data, w.Float32Data, gx.Float32Data, g);
        else Conv2dKernel.InputGradient(grad.Float64Data, w.Float64Data, gx.Float64Data, g);
        return Graph.Record("Conv2dInputGradient", [grad, w], gx, static (h, n, g) =>
        {
            var (grad, w) = (n.Inputs[0], n.Inputs[1]);
            return [grad.RequiresGrad ? Convolve(h, w, null, g) : null, w.RequiresGrad ? ConvolutionWeightGradient(h, grad, g) : null];
        }, g);
    }

    /// <summary>
    /// The gradient of conv(x, w) with respect to w, Σₙ Gₙ·colsₙᵀ; linear in x and in G.
    /// Derivatives: d x = the input gradient for output gradient G and weight H, d G = conv(x, H).
    /// </summary>
    private static Tensor ConvolutionWeightGradient(Tensor x, Tensor grad, Conv2dGeometry g)
    {
        var gw = Uninitialized(g.WeightShape, x.DType);
        if (x.DType == DType.Float32) Conv2dKernel.WeightGradient(x.Float32Data, grad.Float32Data, gw.Float32Data, g);
        else Conv2dKernel.WeightGradient(x.Float64Data, grad.Float64Data, gw.Float64Data, g);
        return Graph.Record("Conv2dWeightGradient", [x, grad], gw, static (h, n, g) =>
        {
            var (x, grad) = (n.Inputs[0], n.Inputs[1]);
            return [x.RequiresGrad ? ConvolutionInputGradient(grad, h, g) : null, grad.RequiresGrad ? Convolve(x, h, null, g) : null];
        }, g);
    }
}
