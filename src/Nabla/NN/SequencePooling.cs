using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.NN;

/// <summary>
/// Pools a padded batch of sequences, (N, L, F) batch first, into one vector per sequence, (N, F),
/// reading only each sequence's valid steps: padding never changes the result, so the same sentence
/// padded to 10 or 100 steps pools to the same bits.
/// </summary>
/// <remarks>
/// <para>
/// Each mode is one fused op with a declared backward, not L slices: <see cref="SequencePoolingMode.Mean"/>
/// sums the valid rows and divides by the length, and its derivative spreads g/length over the valid
/// steps (zeros elsewhere); <see cref="SequencePoolingMode.Max"/> and <see cref="SequencePoolingMode.Last"/>
/// pick one step per feature (the first largest value, or the last valid step), and their derivative
/// places each gradient at the step it came from, as PyTorch's <c>max(dim)</c> does. The two members
/// of each pair are each other's derivative, so gradients of gradients work too.
/// </para>
/// <para>Work is sequential over the batch, so the result is the same at every thread count.</para>
/// </remarks>
/// <example>
/// <code>
/// var (output, hidden) = gru.Forward(embedded, lengths);                             // output (N, L, H), batch first
/// var features = SequencePooling.Pool(output, lengths, SequencePoolingMode.Mean);    // (N, H)
/// </code>
/// </example>
public static class SequencePooling
{
    /// <summary>Pools each sequence of <paramref name="input"/> over its valid steps.</summary>
    /// <param name="input">Float32 or Float64 features of shape (N, L, F), batch first.</param>
    /// <param name="lengths">The number of valid steps of each sequence, each in 1..L (steps 0 … length − 1 are valid); null when all L are.</param>
    /// <param name="mode">Last valid step, mean or maximum.</param>
    /// <returns>A tensor of shape (N, F).</returns>
    /// <exception cref="ShapeMismatchException">The input is not (N, L, F) with every size positive.</exception>
    /// <exception cref="ArgumentException">The input is Int32, or <paramref name="lengths"/> does not hold N entries.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside 1..L, or the mode is unknown.</exception>
    public static Tensor Pool(Tensor input, int[]? lengths, SequencePoolingMode mode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var valid = Check(input, lengths);
        return mode switch
        {
            SequencePoolingMode.Mean => Mean(input, valid),
            SequencePoolingMode.Max => Max(input, valid),
            SequencePoolingMode.Last => Pick(input, LastSteps(valid, input.ShapeArray[2]), "SequenceLast"),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"SequencePooling: unknown mode {mode}."),
        };
    }

    /// <summary>The lengths of a batch and the padded length L, shared by an op and its derivative.</summary>
    private readonly record struct ValidSteps(int[] Lengths, int Steps);

    private static ValidSteps Check(Tensor input, int[]? lengths)
    {
        input.RequireFloatingPoint(nameof(SequencePooling));
        if (input.Rank != 3 || input.Length == 0)
            throw new ShapeMismatchException($"SequencePooling: input of shape {Shapes.Format(input.ShapeArray)} must be (N, L, F), batch first, with every size positive.");
        int batch = input.ShapeArray[0], steps = input.ShapeArray[1];
        if (lengths is null) return new(Enumerable.Repeat(steps, batch).ToArray(), steps);
        if (lengths.Length != batch)
            throw new ArgumentException($"SequencePooling: lengths has {lengths.Length} entries but the input (shape {Shapes.Format(input.ShapeArray)}) holds {batch} sequences.", nameof(lengths));
        for (int n = 0; n < batch; n++)
            if (lengths[n] < 1 || lengths[n] > steps)
                throw new ArgumentOutOfRangeException(nameof(lengths), $"SequencePooling: lengths[{n}] = {lengths[n]} is outside 1..{steps} (the input's L).");
        return new((int[])lengths.Clone(), steps);
    }

    /// <summary>y[n] = (x[n, 0] + … + x[n, length − 1]) / length. Derivative: <see cref="SpreadMean"/>.</summary>
    private static Tensor Mean(Tensor x, ValidSteps valid)
    {
        int batch = x.ShapeArray[0], features = x.ShapeArray[2];
        var y = Tensor.Uninitialized([batch, features], x.DType);
        if (x.DType == DType.Float32) MeanRows<float>(x.Span<float>(), valid, y.Span<float>());
        else MeanRows<double>(x.Span<double>(), valid, y.Span<double>());
        return Graph.Record("SequenceMean", [x], y, static (g, _, valid) => [SpreadMean(g, valid)], valid);
    }

    private static void MeanRows<T>(ReadOnlySpan<T> x, ValidSteps valid, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        int features = y.Length / valid.Lengths.Length;
        for (int n = 0; n < valid.Lengths.Length; n++)
        {
            var sum = y.Slice(n * features, features);
            int first = n * valid.Steps * features;
            x.Slice(first, features).CopyTo(sum);
            for (int t = 1; t < valid.Lengths[n]; t++) TensorPrimitives.Add(sum, x.Slice(first + t * features, features), sum);
            TensorPrimitives.Divide(sum, T.CreateChecked(valid.Lengths[n]), sum);
        }
    }

    /// <summary>z[n, t] = g[n] / length for t &lt; length, else 0: the derivative of <see cref="Mean"/>, whose own derivative is <see cref="Mean"/>.</summary>
    private static Tensor SpreadMean(Tensor g, ValidSteps valid)
    {
        int batch = g.ShapeArray[0], features = g.ShapeArray[1];
        var z = Tensor.Empty([batch, valid.Steps, features], g.DType);
        if (g.DType == DType.Float32) SpreadRows<float>(g.Span<float>(), valid, z.Span<float>());
        else SpreadRows<double>(g.Span<double>(), valid, z.Span<double>());
        return Graph.Record("SequenceMeanBackward", [g], z, static (gg, _, valid) => [Mean(gg, valid)], valid);
    }

    private static void SpreadRows<T>(ReadOnlySpan<T> g, ValidSteps valid, Span<T> z) where T : IFloatingPointIeee754<T>
    {
        int features = g.Length / valid.Lengths.Length;
        for (int n = 0; n < valid.Lengths.Length; n++)
        {
            var share = z.Slice(n * valid.Steps * features, features);
            TensorPrimitives.Divide(g.Slice(n * features, features), T.CreateChecked(valid.Lengths[n]), share);
            for (int t = 1; t < valid.Lengths[n]; t++) share.CopyTo(z.Slice((n * valid.Steps + t) * features, features));
        }
    }

    /// <summary>The largest value of each feature over the valid steps, recorded as a pick of the step that held it.</summary>
    private static Tensor Max(Tensor x, ValidSteps valid)
    {
        int batch = x.ShapeArray[0], features = x.ShapeArray[2];
        var y = Tensor.Uninitialized([batch, features], x.DType);
        var steps = Tensor.Uninitialized([batch, features], DType.Int32);
        if (x.DType == DType.Float32) MaxRows<float>(x.Span<float>(), valid, y.Span<float>(), steps.Span<int>());
        else MaxRows<double>(x.Span<double>(), valid, y.Span<double>(), steps.Span<int>());
        return RecordPick(x, steps, y, "SequenceMax");
    }

    private static void MaxRows<T>(ReadOnlySpan<T> x, ValidSteps valid, Span<T> y, Span<int> steps) where T : IFloatingPointIeee754<T>
    {
        int features = y.Length / valid.Lengths.Length;
        for (int n = 0; n < valid.Lengths.Length; n++)
        {
            var best = y.Slice(n * features, features);
            var sources = steps.Slice(n * features, features);
            int first = n * valid.Steps * features;
            x.Slice(first, features).CopyTo(best);
            sources.Clear();
            for (int t = 1; t < valid.Lengths[n]; t++) RunningMax.Update(x.Slice(first + t * features, features), best, sources, t);
        }
    }

    /// <summary>Step length − 1 for every feature of each sequence.</summary>
    private static Tensor LastSteps(ValidSteps valid, int features)
    {
        var steps = Tensor.Uninitialized([valid.Lengths.Length, features], DType.Int32);
        var span = steps.Span<int>();
        for (int n = 0; n < valid.Lengths.Length; n++) span.Slice(n * features, features).Fill(valid.Lengths[n] - 1);
        return steps;
    }

    /// <summary>y[n, f] = x[n, steps[n, f], f]. Derivative: <see cref="Place"/>.</summary>
    private static Tensor Pick(Tensor x, Tensor steps, string op)
    {
        int batch = x.ShapeArray[0], length = x.ShapeArray[1], features = x.ShapeArray[2];
        var y = Tensor.Uninitialized([batch, features], x.DType);
        if (x.DType == DType.Float32) PickRows<float>(x.Span<float>(), steps.Span<int>(), length, features, y.Span<float>());
        else PickRows<double>(x.Span<double>(), steps.Span<int>(), length, features, y.Span<double>());
        return RecordPick(x, steps, y, op);
    }

    private static Tensor RecordPick(Tensor x, Tensor steps, Tensor y, string op) =>
        Graph.Record(op, [x], y, static (g, node, steps) => [Place(g, steps, node.Inputs[0].ShapeArray[1])], steps);

    /// <summary>y[n, f] = x[n, steps[n, f], f], with x (N, L, F) and y, steps (N, F).</summary>
    private static void PickRows<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> steps, int length, int features, Span<T> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            int n = i / features;
            y[i] = x[(n * length + steps[i]) * features + i - n * features];
        }
    }

    /// <summary>Zeros of shape (N, L, F) with g[n, f] at step steps[n, f]: the derivative of a pick, whose own derivative is the pick.</summary>
    private static Tensor Place(Tensor g, Tensor steps, int length)
    {
        int batch = g.ShapeArray[0], features = g.ShapeArray[1];
        var z = Tensor.Empty([batch, length, features], g.DType);
        if (g.DType == DType.Float32) PlaceRows<float>(g.Span<float>(), steps.Span<int>(), length, features, z.Span<float>());
        else PlaceRows<double>(g.Span<double>(), steps.Span<int>(), length, features, z.Span<double>());
        return Graph.Record("SequencePickBackward", [g], z, static (gg, _, steps) => [Pick(gg, steps, "SequencePick")], steps);
    }

    /// <summary>z[n, steps[n, f], f] = g[n, f] on zeros z (N, L, F).</summary>
    private static void PlaceRows<T>(ReadOnlySpan<T> g, ReadOnlySpan<int> steps, int length, int features, Span<T> z)
    {
        for (int i = 0; i < g.Length; i++)
        {
            int n = i / features;
            z[(n * length + steps[i]) * features + i - n * features] = g[i];
        }
    }
}
