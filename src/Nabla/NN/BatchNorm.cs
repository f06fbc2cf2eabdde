namespace Nabla.NN;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share, as PyTorch's <c>_BatchNorm</c>:
/// each channel (axis 1) normalised to mean 0 and variance 1, then scaled and shifted per channel.
/// </summary>
/// <remarks>
/// <para>
/// In training the statistics are the batch's, over every sample and position of a channel: the
/// biased variance normalises, and the unbiased variance goes into <see cref="RunningVar"/>, as in
/// PyTorch. Each training call updates running = (1 − momentum)·running + momentum·batch, or, when
/// <see cref="Momentum"/> is null, the cumulative average over the <see cref="NumBatchesTracked"/> batches.
/// In evaluation the running statistics normalise (without running statistics, the batch's are used).
/// </para>
/// <para>
/// Training runs one fused op per channel, forward and backward; its backward is also written in
/// tensor ops, so gradients of gradients work. Weight starts at 1, bias at 0, running mean at 0 and
/// running variance at 1.
/// </para>
/// </remarks>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer; called by the concrete layers, which fix the input ranks.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1]; null for the cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (and use them in evaluation).</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        string layer = GetType().Name;
        if (numFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"{layer}: the number of features must be positive, got {numFeatures}.");
        if (!(eps > 0) || !double.IsFinite(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{layer}: eps must be positive and finite, got {eps}.");
        if (momentum is { } m && !(m >= 0 && m <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), m, $"{layer}: momentum must be in [0, 1] (or null for a cumulative average), got {m}.");
        if (dtype == DType.Int32) throw new ArgumentException($"{layer}: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int32));
        }
    }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The weight of each new batch in the running statistics; null for the cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>The per-channel scale, or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>The per-channel shift, or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean of each channel (buffer "running_mean"), or null without running statistics.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running unbiased variance of each channel (buffer "running_var"), or null without running statistics.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>How many training batches updated the running statistics (Int32 scalar buffer "num_batches_tracked"), or null without them.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Checks the input's rank for the concrete layer; the message names the layer and the shape.</summary>
    private protected abstract void CheckRank(Tensor input);

    /// <summary>The input normalised per channel; the output has the input's shape.</summary>
    /// <exception cref="ShapeMismatchException">The input's rank or channel count does not fit the layer.</exception>
    /// <exception cref="ArgumentException">In training, a channel has only one value; or the input's element type differs from the layer's.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input);
        var shape = input.ShapeArray;
        if (shape[1] != NumFeatures)
            throw new ShapeMismatchException($"{GetType().Name}({NumFeatures}): input of shape {Shapes.Format(shape)} has {shape[1]} channels (axis 1), expected {NumFeatures}.");
        input.RequireFloatingPoint(GetType().Name);
        var reference = Weight ?? RunningMean;
        if (reference is not null) ElementwiseDispatch.RequireSameType(input, reference, GetType().Name);
        int positions = input.Length / (shape[0] * NumFeatures);
        var grouped = input.Reshape(shape[0], NumFeatures, positions);
        bool useBatch = IsTraining || RunningMean is null;
        if (useBatch && shape[0] * positions <= 1)
            throw new ArgumentException($"{GetType().Name}: Expected more than 1 value per channel when training, got input of shape {Shapes.Format(shape)}.", nameof(input));
        var y = useBatch ? Normalize(grouped) : NormalizeWithRunningStatistics(grouped);
        return y.Reshape(shape);
    }

    private Tensor Normalize(Tensor grouped)
    {
        var y = Tensor.BatchNorm(grouped, Weight, Bias, Eps, out var statistics);
        if (IsTraining && RunningMean is not null) UpdateRunningStatistics(statistics, grouped.Length / NumFeatures);
        return y;
    }

    /// <summary>
    /// running = (1 − f)·running + f·batch, with the unbiased batch variance, in place; <paramref name="statistics"/>
    /// is (2, C): the batch's means, then its biased variances, over <paramref name="count"/> values a channel.
    /// </summary>
    private protected void UpdateRunningStatistics(Tensor statistics, int count)
    {
        var tracked = NumBatchesTracked!.Span<int>();
        tracked[0]++;
        double factor = Momentum ?? 1.0 / tracked[0];
        double unbias = (double)count / (count - 1);
        for (int c = 0; c < NumFeatures; c++)
        {
            RunningMean!.SetFlat(c, (1 - factor) * RunningMean.GetFlat(c) + factor * statistics.GetFlat(c));
            RunningVar!.SetFlat(c, (1 - factor) * RunningVar.GetFlat(c) + factor * statistics.GetFlat(NumFeatures + c) * unbias);
        }
    }

    /// <summary>An affine map per channel, (x − running mean)/√(running var + eps)·weight + bias, in tensor ops.</summary>
    private Tensor NormalizeWithRunningStatistics(Tensor grouped)
    {
        Tensor scale, shift;
        var rstd = 1.0 / (RunningVar! + Eps).Sqrt();
        scale = Weight is null ? rstd : Weight * rstd;
        shift = -(RunningMean! * scale);
        if (Bias is not null) shift += Bias;
        return grouped * scale.Reshape(1, NumFeatures, 1) + shift.Reshape(1, NumFeatures, 1);
    }
}
