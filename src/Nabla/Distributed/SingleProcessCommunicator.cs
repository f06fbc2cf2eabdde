namespace Nabla.Distributed;

/// <summary>
/// A group of one rank: every collective leaves the values as they are. It lets code written for
/// many ranks run, unchanged and without MPI, in one process.
/// </summary>
public sealed class SingleProcessCommunicator : Communicator
{
    /// <inheritdoc/>
    public override int Rank => 0;

    /// <inheritdoc/>
    public override int Size => 1;

    /// <inheritdoc/>
    public override void AllReduce(Span<float> values, ReduceOperation operation = ReduceOperation.Sum) { }

    /// <inheritdoc/>
    public override void AllReduce(Span<double> values, ReduceOperation operation = ReduceOperation.Sum) { }

    /// <inheritdoc/>
    public override void AllReduce(Span<long> values, ReduceOperation operation = ReduceOperation.Sum) { }

    /// <inheritdoc/>
    public override void Broadcast(Span<byte> data, int root = 0) => CheckRoot(root);

    /// <inheritdoc/>
    public override byte[][] AllGather(ReadOnlySpan<byte> mine) => [mine.ToArray()];

    /// <inheritdoc/>
    public override void Barrier() { }

    /// <summary>Throws <see cref="InvalidOperationException"/> with <paramref name="reason"/>: in one process there is nobody else to stop.</summary>
    public override void Abort(int exitCode, string reason) =>
        throw new InvalidOperationException($"Communicator aborted with exit code {exitCode}: {reason}");
}
