using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.NN;

/// <summary>
/// The op behind <see cref="EmbeddingBag"/>: looks up the rows of each bag and reduces them (sum,
/// mean or max) in one pass, without making the (ids, dim) tensor of looked-up rows, and declares
/// the derivative.
/// </summary>
/// <remarks>
/// Derivative: each bag's gradient row is added into the table rows the bag used (a scatter-add,
/// costing the rows used plus clearing the table-sized gradient, which is written in place into the
/// weight's <see cref="Tensor.Grad"/> when the pass allows): times the per-sample weight for a sum,
/// divided by the bag's size for a mean, and for a max into each feature's arg-max row only. The
/// gradient of a per-sample weight is the dot product of its bag's gradient with its row. Padding
/// entries are left out of everything, so the padding row never gets a gradient. The backward is
/// fused, so gradients of gradients (<c>createGraph: true</c>) are refused.
/// </remarks>
internal static class EmbeddingBagReduction
{
    /// <summary>Which entries of a flat id array form each bag, and which id is left out.</summary>
    /// <param name="Ids">Every bag's ids, one bag after another, all in range.</param>
    /// <param name="Starts">Bag b is Ids[Starts[b] .. Starts[b + 1]); B + 1 entries, the last Ids.Length.</param>
    /// <param name="PaddingIndex">An id left out of its bag (not counted by the mean), or null.</param>
    public sealed record Bags(int[] Ids, int[] Starts, int? PaddingIndex)
    {
        /// <summary>The number of bags.</summary>
        public int Count => Starts.Length - 1;

        /// <summary>Whether entry <paramref name="i"/> counts (is not the padding id).</summary>
        public bool Counts(int i) => Ids[i] != PaddingIndex;
    }

    /// <summary>What the backward pass needs besides the inputs: the layout, the mode, and for a max each feature's arg-max row (−1 for an empty bag).</summary>
    private sealed record Saved(Bags Bags, EmbeddingBagMode Mode, int[]? Sources);

    /// <summary>The reduced bags, (B, dim), recorded with <paramref name="weight"/> (and <paramref name="perSampleWeights"/>) as inputs.</summary>
    /// <param name="weight">The table, (num, dim).</param>
    /// <param name="bags">The bags.</param>
    /// <param name="mode">The reduction.</param>
    /// <param name="perSampleWeights">One weight per id, in <paramref name="weight"/>'s type (sum only), or null.</param>
    public static Tensor Reduce(Tensor weight, Bags bags, EmbeddingBagMode mode, Tensor? perSampleWeights)
    {
        int dim = weight.ShapeArray[1];
        var y = Tensor.Empty([bags.Count, dim], weight.DType);
        int[]? sources = mode == EmbeddingBagMode.Max ? new int[bags.Count * dim] : null;
        if (weight.DType == DType.Float32)
            Forward<float>(weight.Span<float>(), dim, bags, mode, SpanOrEmpty<float>(perSampleWeights), y.Span<float>(), sources);
        else
            Forward<double>(weight.Span<double>(), dim, bags, mode, SpanOrEmpty<double>(perSampleWeights), y.Span<double>(), sources);
        ReadOnlySpan<Tensor> inputs = perSampleWeights is null ? [weight] : [weight, perSampleWeights];
        return Graph.Record(nameof(EmbeddingBag), inputs, y, Backward, new Saved(bags, mode, sources));
    }

    /// <summary>The per-sample weights' values, or an empty span when there are none.</summary>
    private static ReadOnlySpan<T> SpanOrEmpty<T>(Tensor? perSampleWeights) => perSampleWeights is null ? default : perSampleWeights.Span<T>();

    private static void Forward<T>(ReadOnlySpan<T> table, int dim, Bags bags, EmbeddingBagMode mode, ReadOnlySpan<T> perSampleWeights, Span<T> y, int[]? sources)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < bags.Count; b++)
        {
            var bag = y.Slice(b * dim, dim);
            int count = 0;
            for (int i = bags.Starts[b]; i < bags.Starts[b + 1]; i++)
            {
                if (!bags.Counts(i)) continue;
                int id = bags.Ids[i];
                var row = table.Slice(id * dim, dim);
                if (mode == EmbeddingBagMode.Max)
                {
                    var rowSources = sources.AsSpan(b * dim, dim);
                    if (count == 0)
                    {
                        row.CopyTo(bag);
                        rowSources.Fill(id);
                    }
                    else
                    {
                        RunningMax.Update(row, bag, rowSources, id);
                    }
                }
                else if (perSampleWeights.IsEmpty)
                {
                    TensorPrimitives.Add(bag, row, bag);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(row, perSampleWeights[i], bag, bag);
                }
                count++;
            }
            if (count == 0 && sources is not null) sources.AsSpan(b * dim, dim).Fill(-1);
            if (count > 1 && mode == EmbeddingBagMode.Mean) TensorPrimitives.Divide(bag, T.CreateChecked(count), bag);
        }
    }

    private static Tensor?[] Backward(Tensor g, Node node, Saved saved)
    {
        if (Graph.IsBackwardRecorded)
            throw new NotSupportedException($"{node.Op}: gradients of gradients (createGraph: true) through an embedding bag are not supported; its backward is a fused kernel.");
        var weight = node.Inputs[0];
        var perSampleWeights = node.Inputs.Length > 1 ? node.Inputs[1] : null;
        var grads = new Tensor?[node.Inputs.Length];
        if (weight.RequiresGrad) grads[0] = WeightGradient(g, weight, perSampleWeights, saved);
        if (perSampleWeights is { RequiresGrad: true })
        {
            var d = Tensor.Empty(perSampleWeights.ShapeArray, weight.DType);
            if (weight.DType == DType.Float32) PerSampleWeightGradient<float>(g.Span<float>(), weight.Span<float>(), g.ShapeArray[1], saved.Bags, d.Span<float>());
            else PerSampleWeightGradient<double>(g.Span<double>(), weight.Span<double>(), g.ShapeArray[1], saved.Bags, d.Span<double>());
            grads[1] = d;
        }
        return grads;
    }

    /// <summary>dW, added into the weight's <see cref="Tensor.Grad"/> when the pass allows (then null is returned), else a new tensor.</summary>
    private static Tensor? WeightGradient(Tensor g, Tensor weight, Tensor? perSampleWeights, Saved saved)
    {
        var target = Graph.LeafGradTarget(weight, out bool overwrite);
        if (overwrite) Array.Clear(target!.Storage);
        var sum = target ?? Tensor.Empty(weight.ShapeArray, weight.DType);
        if (weight.DType == DType.Float32)
            ScatterAdd<float>(g.Span<float>(), g.ShapeArray[1], saved, SpanOrEmpty<float>(perSampleWeights), sum.Span<float>());
        else
            ScatterAdd<double>(g.Span<double>(), g.ShapeArray[1], saved, SpanOrEmpty<double>(perSampleWeights), sum.Span<double>());
        return target is null ? sum : null;
    }

    private static void ScatterAdd<T>(ReadOnlySpan<T> g, int dim, Saved saved, ReadOnlySpan<T> perSampleWeights, Span<T> table)
        where T : IFloatingPointIeee754<T>
    {
        var bags = saved.Bags;
        Span<T> share = saved.Mode == EmbeddingBagMode.Mean ? new T[dim] : default;
        for (int b = 0; b < bags.Count; b++)
        {
            var gradient = g.Slice(b * dim, dim);
            if (saved.Mode == EmbeddingBagMode.Max)
            {
                var sources = saved.Sources.AsSpan(b * dim, dim);
                if (sources[0] < 0) continue;
                for (int f = 0; f < dim; f++) table[sources[f] * dim + f] += gradient[f];
                continue;
            }
            if (saved.Mode == EmbeddingBagMode.Mean)
            {
                int count = 0;
                for (int i = bags.Starts[b]; i < bags.Starts[b + 1]; i++)
                    if (bags.Counts(i)) count++;
                if (count == 0) continue;
                TensorPrimitives.Divide(gradient, T.CreateChecked(count), share);
                gradient = share;
            }
            for (int i = bags.Starts[b]; i < bags.Starts[b + 1]; i++)
            {
                if (!bags.Counts(i)) continue;
                var row = table.Slice(bags.Ids[i] * dim, dim);
                if (perSampleWeights.IsEmpty) TensorPrimitives.Add(row, gradient, row);
                else TensorPrimitives.MultiplyAdd(gradient, perSampleWeights[i], row, row);
            }
        }
    }

    /// <summary>d[i] = g[bag of i] · W[ids[i]], 0 for padding entries.</summary>
    private static void PerSampleWeightGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> table, int dim, Bags bags, Span<T> d)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < bags.Count; b++)
            for (int i = bags.Starts[b]; i < bags.Starts[b + 1]; i++)
                if (bags.Counts(i)) d[i] = TensorPrimitives.Dot(g.Slice(b * dim, dim), table.Slice(bags.Ids[i] * dim, dim));
    }
}
