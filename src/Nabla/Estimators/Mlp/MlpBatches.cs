namespace Nabla.Estimators;

/// <summary>
/// Gathers mini-batches of an <see cref="MlpData"/> into buffers reused from batch to batch (one set
/// for full batches, one for the shorter last batch), so an epoch allocates no sample storage.
/// </summary>
internal sealed class MlpBatches(MlpData data, int batchSize)
{
    private readonly Dictionary<int, (Tensor Features, Array Storage, double[] Targets, double[]? Weights)> _buffers = [];

    /// <summary>The samples at <paramref name="rows"/>: features as a tensor, targets and weights (null when unweighted).</summary>
    /// <remarks>The buffers are overwritten by the next call of the same size: use a batch before gathering the next.</remarks>
    public (Tensor Features, double[] Targets, double[]? Weights) Gather(ReadOnlySpan<int> rows)
    {
        int count = rows.Length;
        if (!_buffers.TryGetValue(count, out var buffer))
        {
            var storage = data.DType == DType.Float64 ? (Array)new double[count * data.Columns] : new float[count * data.Columns];
            buffer = (new Tensor(storage, [count, data.Columns], data.DType), storage, new double[count * data.Outputs], data.Weights is null ? null : new double[count]);
            // At most two sizes ever: the full batch and the remainder.
            if (count == batchSize || _buffers.Count < 2) _buffers[count] = buffer;
        }
        for (int r = 0; r < count; r++) data.CopySample(rows[r], r, buffer.Storage, buffer.Targets, buffer.Weights);
        return (buffer.Features, buffer.Targets, buffer.Weights);
    }
}
