using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// Sums the gradients of parameters of one element type over the ranks, a few large allreduce calls
/// instead of one a parameter: the gradients, laid end to end and followed by one "has a gradient"
/// flag a parameter, are cut into buckets of at most the bucket length, and each bucket is packed
/// into one buffer (allocated once), allreduced, and unpacked.
/// </summary>
/// <remarks>
/// A parameter larger than a bucket spans several; a bucket may hold the ends of several parameters.
/// A parameter without a gradient on this rank sends zeros; it gets a gradient when any rank had one,
/// and stays without one (as in a single process, where the optimizer skips it) when no rank had.
/// </remarks>
internal sealed class GradientBuckets<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor[] _parameters;
    private readonly long[] _offsets;
    private readonly long _total;
    private readonly T[] _buffer;
    private readonly bool[] _hadGradient, _allocatedHere;

    /// <param name="parameters">The parameters, all of element type <typeparamref name="T"/>, in the same order on every rank.</param>
    /// <param name="bucketLength">The most elements one allreduce carries (≥ 1).</param>
    public GradientBuckets(Tensor[] parameters, int bucketLength)
    {
        _parameters = parameters;
        _offsets = new long[parameters.Length + 1];
        for (int i = 0; i < parameters.Length; i++) _offsets[i + 1] = _offsets[i] + parameters[i].Length;
        _total = _offsets[^1] + parameters.Length;
        _buffer = new T[(int)Math.Min(bucketLength, _total)];
        _hadGradient = new bool[parameters.Length];
        _allocatedHere = new bool[parameters.Length];
    }

    /// <summary>The number of allreduce calls one reduction makes.</summary>
    public int BucketCount => (int)((_total + _buffer.Length - 1) / _buffer.Length);

    /// <summary>Replaces every parameter's gradient by its sum over the ranks of <paramref name="communicator"/>.</summary>
    public void Reduce(Communicator communicator)
    {
        Array.Clear(_allocatedHere);
        for (int i = 0; i < _parameters.Length; i++) _hadGradient[i] = _parameters[i].Grad is not null;
        for (long start = 0; start < _total; start += _buffer.Length)
        {
            var bucket = _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, _total - start));
            Copy(start, bucket, pack: true);
            AllReduce(communicator, bucket);
            Copy(start, bucket, pack: false);
        }
    }

    /// <summary>Sums <paramref name="bucket"/> over the ranks with the communicator's overload for <typeparamref name="T"/>.</summary>
    private static void AllReduce(Communicator communicator, Span<T> bucket)
    {
        if (typeof(T) == typeof(float)) communicator.AllReduce(MemoryMarshal.Cast<T, float>(bucket));
        else communicator.AllReduce(MemoryMarshal.Cast<T, double>(bucket));
    }

    /// <summary>The first parameter whose gradient reaches past <paramref name="position"/> of the layout.</summary>
    private int FirstParameterAt(long position)
    {
        int index = Array.BinarySearch(_offsets, position);
        // An exact hit on an offset starts that parameter (skipping empty ones); otherwise the one before the insertion point holds it.
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>
    /// Moves the elements [<paramref name="start"/>, start + bucket length) of the laid-out gradients
    /// and flags into <paramref name="bucket"/> (<paramref name="pack"/>) or back out of it.
    /// </summary>
    private void Copy(long start, Span<T> bucket, bool pack)
    {
        long end = start + bucket.Length, flags = _offsets[^1];
        for (int i = FirstParameterAt(start); i < _parameters.Length && _offsets[i] < end; i++)
        {
            long from = Math.Max(start, _offsets[i]), to = Math.Min(end, _offsets[i + 1]);
            if (from >= to) continue;
            var target = bucket.Slice((int)(from - start), (int)(to - from));
            var parameter = _parameters[i];
            if (pack)
            {
                if (_hadGradient[i]) parameter.Grad!.Span<T>().Slice((int)(from - _offsets[i]), target.Length).CopyTo(target);
                else target.Clear();
                continue;
            }
            if (parameter.Grad is null)
            {
                parameter.Grad = Tensor.Zeros([.. parameter.ShapeArray], parameter.DType);
                _allocatedHere[i] = true;
            }
            target.CopyTo(parameter.Grad.Span<T>().Slice((int)(from - _offsets[i])));
        }
        for (long position = Math.Max(start, flags); position < end; position++)
        {
            int parameter = (int)(position - flags);
            ref T slot = ref bucket[(int)(position - start)];
            if (pack) slot = _hadGradient[parameter] ? T.One : T.Zero;
            // A gradient created here only to receive the others' sums goes again when no rank had one.
            else if (slot == T.Zero && _allocatedHere[parameter]) _parameters[parameter].Grad = null;
        }
    }
}
