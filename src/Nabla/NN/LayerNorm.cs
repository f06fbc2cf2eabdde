namespace Nabla.NN;

/// <summary>
/// Layer normalisation, as <c>torch.nn.LayerNorm</c>: each sample's last dimensions (the
/// <see cref="NormalizedShape"/>) are normalised to mean 0 and variance 1 (the biased variance, plus
/// <see cref="Eps"/>), then scaled by <see cref="Weight"/> and shifted by <see cref="Bias"/> elementwise.
/// The same computation in training and evaluation.
/// </summary>
/// <remarks>
/// One fused op per row, forward and backward (see the remarks on the formula there); its backward is
/// also written in tensor ops, so gradients of gradients work. Weight starts at 1 and bias at 0.
/// </remarks>
public sealed class LayerNorm : Module
{
    private readonly int[] _normalizedShape;
    private readonly int _featureCount;

    /// <summary>Creates the layer.</summary>
    /// <param name="normalizedShape">The trailing dimensions each normalised group spans, such as [features] or [height, width].</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="elementwiseAffine">Whether to learn an elementwise weight and bias.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension that is not positive, or <paramref name="dtype"/> is Int32.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is not positive.</exception>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException($"LayerNorm: the normalized shape must have at least one dimension, all positive, got {Shapes.Format(normalizedShape)}.", nameof(normalizedShape));
        if (!(eps > 0) || !double.IsFinite(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"LayerNorm: eps must be positive and finite, got {eps}.");
        if (dtype == DType.Int32) throw new ArgumentException("LayerNorm: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        _normalizedShape = (int[])normalizedShape.Clone();
        _featureCount = Shapes.Numel(_normalizedShape);
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_normalizedShape, dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros(_normalizedShape, dtype));
        }
    }

    /// <summary>Creates the layer over the last dimension, of size <paramref name="features"/>.</summary>
    /// <param name="features">The size of the last dimension.</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="elementwiseAffine">Whether to learn an elementwise weight and bias.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    public LayerNorm(int features, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([features], eps, elementwiseAffine, dtype)
    {
    }

    /// <summary>The trailing dimensions each normalised group spans.</summary>
    public IReadOnlyList<int> NormalizedShape => _normalizedShape;

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The elementwise scale, of the normalized shape, or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>The elementwise shift, of the normalized shape, or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <summary>The input normalised over its trailing dimensions; the output has the input's shape.</summary>
    /// <exception cref="ShapeMismatchException">The input does not end with <see cref="NormalizedShape"/>.</exception>
    /// <exception cref="ArgumentException">The input's element type differs from the weights'.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = _normalizedShape.Length;
        if (input.Rank < rank || !input.ShapeArray.AsSpan(input.Rank - rank).SequenceEqual(_normalizedShape))
            throw new ShapeMismatchException($"LayerNorm({Shapes.Format(_normalizedShape)}): input of shape {Shapes.Format(input.ShapeArray)} must end with {Shapes.Format(_normalizedShape)}.");
        input.RequireFloatingPoint(nameof(LayerNorm));
        if (Weight is not null) ElementwiseDispatch.RequireSameType(input, Weight, nameof(LayerNorm));
        return Tensor.LayerNorm(input, _featureCount, Weight, Bias, Eps);
    }
}
