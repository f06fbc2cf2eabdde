namespace Nabla.NN;

/// <summary>
/// A 2-D convolution layer, as <c>torch.nn.Conv2d</c>: weight of shape
/// (out channels, in channels / groups, kH, kW), bias of shape (out channels), input (N, C, H, W)
/// or unbatched (C, H, W). See <see cref="Tensor.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>.
/// </summary>
/// <remarks>
/// Initialised as PyTorch does by default: the weight by Kaiming uniform with a = √5, which is
/// U(−1/√fan_in, 1/√fan_in) with fan_in = in/groups·kH·kW, and the bias from the same range.
/// </remarks>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with a square kernel and equal settings on both axes, freshly initialised.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (the number of kernels).</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="padding">Zeros added on each side.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="groups">Channel groups; must divide both channel counts.</param>
    /// <param name="bias">Whether the layer adds a learned bias per output channel.</param>
    /// <param name="generator">Where the initial weights come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or setting is out of range.</exception>
    /// <exception cref="ArgumentException">groups does not divide the channels, or dtype is Int32.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        int groups = 1, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, generator, dtype)
    {
    }

    /// <summary>Creates the layer with (height, width) kernel size and settings, freshly initialised.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (the number of kernels).</param>
    /// <param name="kernelSize">Kernel (height, width).</param>
    /// <param name="stride">Step between windows (height, width).</param>
    /// <param name="padding">Zeros added on each side (height, width).</param>
    /// <param name="dilation">Spacing between kernel taps (height, width).</param>
    /// <param name="groups">Channel groups; must divide both channel counts.</param>
    /// <param name="bias">Whether the layer adds a learned bias per output channel.</param>
    /// <param name="generator">Where the initial weights come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or setting is out of range.</exception>
    /// <exception cref="ArgumentException">groups does not divide the channels, or dtype is Int32.</exception>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups = 1, bool bias = true,
        Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        RequireAtLeast("kernel size", kernelSize, 1);
        RequireAtLeast("stride", stride, 1);
        RequireAtLeast("padding", padding, 0);
        RequireAtLeast("dilation", dilation, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: groups {groups} must divide both the input channels ({inChannels}) and the output channels ({outChannels}).", nameof(groups));
        if (dtype == DType.Int32) throw new ArgumentException("Conv2d: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        generator ??= Init.DefaultGenerator;
        var weight = Tensor.Zeros([outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width], dtype);
        Weight = RegisterParameter("weight", Init.KaimingUniform(weight, a: Math.Sqrt(5), generator: generator));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(Init.CalculateFans(Weight).FanIn);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros([outChannels], dtype), -bound, bound, generator));
        }
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between windows (height, width).</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zeros added on each side (height, width).</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Spacing between kernel taps (height, width).</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>The kernels, of shape (out channels, in channels / groups, kH, kW).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, of shape (out channels), or null when the layer has none.</summary>
    public Tensor? Bias { get; }

    /// <summary>The convolution of an (N, C, H, W) or (C, H, W) input; the result has <see cref="OutChannels"/> channels.</summary>
    /// <exception cref="ShapeMismatchException">The input's rank or channels do not fit, or the kernel is larger than the padded input.</exception>
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary>max(<see cref="Forward"/>(input), 0) as one op, for <see cref="Sequential"/> when a <see cref="ReLU"/> follows this layer.</summary>
    internal Tensor ForwardRelu(Tensor input) => Tensor.Conv2dRelu(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary><paramref name="pool"/>(max(<see cref="Forward"/>(input), 0)) as one op, for <see cref="Sequential"/> when a <see cref="ReLU"/> and a <see cref="MaxPool2d"/> follow this layer.</summary>
    internal Tensor ForwardReluMaxPool(Tensor input, MaxPool2d pool) => Tensor.Conv2dReluMaxPool2d(input, Weight, Bias, Stride, Padding, Dilation, Groups,
        pool.KernelSize, pool.Stride, pool.Padding, pool.Dilation, pool.CeilMode);

    private static void RequireAtLeast(string what, (int Height, int Width) value, int least)
    {
        if (value.Height < least || value.Width < least)
            throw new ArgumentOutOfRangeException(what, $"Conv2d: {what} must be at least {least}, got {value.Height}x{value.Width}.");
    }
}
