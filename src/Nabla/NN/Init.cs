namespace Nabla.NN;

/// <summary>
/// Weight initialisation, in place, as <c>torch.nn.init</c>: uniform and normal, Xavier/Glorot and
/// Kaiming/He. Every function draws from a <see cref="Generator"/>; when none is given, from
/// <see cref="DefaultGenerator"/>, so that the same program gives the same weights on every run.
/// </summary>
/// <remarks>
/// The fans follow PyTorch: for a weight of shape (out, in, k1, k2, ...) fan-in is in·k1·k2·… and
/// fan-out is out·k1·k2·…. The values differ from PyTorch's (the generators differ); the
/// distributions are the same.
/// </remarks>
public static class Init
{
    [ThreadStatic] private static Generator? s_default;

    /// <summary>
    /// The generator used when a layer or an initialiser is given none: one per thread, seeded with 0
    /// when first used; reseed it with <see cref="ManualSeed"/>.
    /// </summary>
    public static Generator DefaultGenerator => s_default ??= new Generator(0);

    /// <summary>Reseeds <see cref="DefaultGenerator"/> (for this thread), as <c>torch.manual_seed</c>.</summary>
    public static void ManualSeed(ulong seed) => s_default = new Generator(seed);

    /// <summary>The recommended gain for an activation: 1, 5/3 (tanh), √2 (ReLU), √(2/(1 + a²)) (leaky ReLU, slope a), 3/4 (SELU).</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2),
        Nonlinearity.LeakyRelu => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
        Nonlinearity.Selu => 0.75,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "unknown nonlinearity."),
    };

    /// <summary>The fan-in and fan-out of a weight of at least 2 dimensions (out, in, receptive field...).</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than 2 dimensions.</exception>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Fan-in and fan-out need a tensor of at least 2 dimensions, got shape {Shapes.Format(tensor.ShapeArray)}.", nameof(tensor));
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++) receptive *= tensor.ShapeArray[d];
        return (tensor.ShapeArray[1] * receptive, tensor.ShapeArray[0] * receptive);
    }

    /// <summary>Fills <paramref name="tensor"/> with values drawn from U(low, high) and returns it.</summary>
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        Check(tensor, nameof(Uniform));
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"Uniform: need finite low <= high, got low = {low}, high = {high}.");
        var g = generator ?? DefaultGenerator;
        if (tensor.DType == DType.Float32)
        {
            var span = tensor.Span<float>();
            for (int i = 0; i < span.Length; i++) span[i] = (float)(low + (high - low) * g.NextDouble());
        }
        else
        {
            var span = tensor.Span<double>();
            for (int i = 0; i < span.Length; i++) span[i] = low + (high - low) * g.NextDouble();
        }
        return tensor;
    }

    /// <summary>Fills <paramref name="tensor"/> with values drawn from N(mean, std²) and returns it.</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        Check(tensor, nameof(Normal));
        if (!(std >= 0) || !double.IsFinite(std) || !double.IsFinite(mean))
            throw new ArgumentException($"Normal: need a finite mean and std >= 0, got mean = {mean}, std = {std}.");
        var g = generator ?? DefaultGenerator;
        if (tensor.DType == DType.Float32)
        {
            var span = tensor.Span<float>();
            for (int i = 0; i < span.Length; i++) span[i] = (float)(mean + std * g.NextNormal());
        }
        else
        {
            var span = tensor.Span<double>();
            for (int i = 0; i < span.Length; i++) span[i] = mean + std * g.NextNormal();
        }
        return tensor;
    }

    /// <summary>Fills <paramref name="tensor"/> with <paramref name="value"/> and returns it.</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        Check(tensor, nameof(Constant));
        if (tensor.DType == DType.Float32) tensor.Span<float>().Fill((float)value);
        else tensor.Span<double>().Fill(value);
        return tensor;
    }

    /// <summary>Glorot and Bengio's uniform initialisation: U(−a, a) with a = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Glorot and Bengio's normal initialisation: N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>
    /// He et al.'s uniform initialisation: U(−b, b) with b = gain·√(3/fan), gain from
    /// <paramref name="nonlinearity"/> and <paramref name="a"/> (the negative slope for leaky ReLU).
    /// PyTorch's default for linear and convolution weights is a = √5 with leaky ReLU, which gives b = 1/√fan_in.
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        double bound = Math.Sqrt(3.0) * KaimingStd(tensor, a, mode, nonlinearity);
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He et al.'s normal initialisation: N(0, σ²) with σ = gain/√fan.</summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null) =>
        Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);

    private static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0) throw new ArgumentException($"Kaiming initialisation of a tensor of shape {Shapes.Format(tensor.ShapeArray)}: its fan is 0.", nameof(tensor));
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    private static void Check(Tensor tensor, string function)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.IsFloatingPoint)
            throw new ArgumentException($"{function}: can only initialise a floating-point tensor, got Int32.", nameof(tensor));
    }
}
