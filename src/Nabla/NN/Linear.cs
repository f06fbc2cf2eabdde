namespace Nabla.NN;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b, as <c>torch.nn.Linear</c>: weight of shape
/// (out, in), bias of shape (out), input of shape (..., in).
/// </summary>
/// <remarks>
/// Initialised as PyTorch does by default: W and b from U(−1/√in, 1/√in) (Kaiming uniform with a = √5).
/// The layer runs <see cref="Tensor.Linear"/>, one fused op: Wᵀ is never copied, and a plain
/// backward pass adds the weight and bias gradients straight into their <see cref="Tensor.Grad"/>.
/// </remarks>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with freshly initialised weights.</summary>
    /// <param name="inFeatures">The size of each input vector.</param>
    /// <param name="outFeatures">The size of each output vector.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <param name="generator">Where the initial weights come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        if (dtype == DType.Int32) throw new ArgumentException("Linear: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        generator ??= Init.DefaultGenerator;
        Weight = RegisterParameter("weight", Init.KaimingUniform(Tensor.Zeros([outFeatures, inFeatures], dtype), a: Math.Sqrt(5), generator: generator));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros([outFeatures], dtype), -bound, bound, generator));
        }
    }

    /// <summary>The size of each input vector.</summary>
    public int InFeatures { get; }

    /// <summary>The size of each output vector.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, of shape (out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, of shape (out), or null when the layer has none.</summary>
    public Tensor? Bias { get; }

    /// <summary>x·Wᵀ + b for x of shape (..., in); the result has shape (..., out).</summary>
    /// <exception cref="ShapeMismatchException">The last dimension of the input is not <see cref="InFeatures"/>.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.ShapeArray[^1] != InFeatures)
            throw new ShapeMismatchException($"Linear({InFeatures}, {OutFeatures}): input of shape {Shapes.Format(input.ShapeArray)} must end with {InFeatures} features.");
        return Tensor.Linear(input, Weight, Bias);
    }

    /// <summary>max(<see cref="Forward"/>(input), 0) as one op, for <see cref="Sequential"/> when a <see cref="ReLU"/> follows this layer.</summary>
    /// <exception cref="ShapeMismatchException">The last dimension of the input is not <see cref="InFeatures"/>.</exception>
    internal Tensor ForwardRelu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.ShapeArray[1] != InFeatures) return Forward(input).Relu();
        return Tensor.LinearRelu(input, Weight, Bias);
    }
}
