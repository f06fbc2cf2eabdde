using System.Numerics;

namespace Nabla.NN;

/// <summary>
/// A per-feature maximum over rows seen one after another, with where each maximum came from: the
/// forward pass of max pooling over a sequence's valid steps (<see cref="SequencePooling"/>) and of a
/// max bag (<see cref="EmbeddingBag"/>), whose backward passes send each feature's gradient to the
/// row recorded here, as PyTorch's max does.
/// </summary>
/// <remarks>
/// A row replaces the best value where it is strictly larger, so ties keep the first row, or where it
/// is NaN and the best is not, so a NaN wins and stays (PyTorch's max propagates NaN). Every rule is
/// elementwise, so the vector path gives the scalar path's result: it only skips blocks of
/// <see cref="Vector{T}"/> lanes where no lane changes, which after the first few rows of random data is
/// most of them, and updates the others lane by lane.
/// </remarks>
internal static class RunningMax
{
    /// <summary>Where <paramref name="row"/> beats <paramref name="best"/>, copies the value in and sets the source to <paramref name="source"/>.</summary>
    /// <param name="row">The next row's values.</param>
    /// <param name="best">The largest values so far, as long as the row; start it as a copy of the first row.</param>
    /// <param name="sources">Where each largest value came from (a step, a table row), as long as the row.</param>
    /// <param name="source">What to record for this row.</param>
    public static void Update<T>(ReadOnlySpan<T> row, Span<T> best, Span<int> sources, int source) where T : IFloatingPointIeee754<T>
    {
        int f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; f <= row.Length - Vector<T>.Count; f += Vector<T>.Count)
            {
                var value = new Vector<T>(row[f..]);
                var current = new Vector<T>(best[f..]);
                var beats = Vector.GreaterThan(value, current) | Vector.AndNot(Vector.IsNaN(value), Vector.IsNaN(current));
                if (beats == Vector<T>.Zero) continue;
                UpdateScalar(row, best, sources, source, f, f + Vector<T>.Count);
            }
        }
        UpdateScalar(row, best, sources, source, f, row.Length);
    }

    private static void UpdateScalar<T>(ReadOnlySpan<T> row, Span<T> best, Span<int> sources, int source, int start, int end)
        where T : IFloatingPointIeee754<T>
    {
        for (int f = start; f < end; f++)
        {
            if (row[f] > best[f] || (T.IsNaN(row[f]) && !T.IsNaN(best[f])))
            {
                best[f] = row[f];
                sources[f] = source;
            }
        }
    }
}
