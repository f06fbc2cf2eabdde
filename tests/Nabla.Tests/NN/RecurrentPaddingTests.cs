using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Padding never changes a result: the same batch of sequences of different lengths, padded to 10 and
/// to 100 steps with different values in the padding and different upstream gradients there, gives
/// bit-identical outputs on the valid steps, zeros after them, bit-identical final states and
/// bit-identical gradients of every parameter and of the input's valid steps, at 1 and 2 threads.
/// </summary>
[Collection("Parallelism")]
public sealed class RecurrentPaddingTests
{
    private const int Batch = 5, Features = 3, Hidden = 4, Short = 10, Long = 100;
    private static readonly int[] s_lengths = [7, 10, 1, 4, 9];

    public static TheoryData<string, bool> Layers() => new()
    {
        { "LSTM", false }, { "LSTM", true }, { "GRU", false }, { "GRU", true }, { "RNN", false }, { "RNN", true },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void PaddedTo10Or100_GivesBitIdenticalResults_AtOneAndTwoThreads(string kind, bool batchFirst)
    {
        var reference = ParallelismCollection.AtThreads(1, () => Run(kind, batchFirst, Short));
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (int padded in new[] { Short, Long })
            {
                if (threads == 1 && padded == Short) continue;
                var result = ParallelismCollection.AtThreads(threads, () => Run(kind, batchFirst, padded));
                string where = $"{kind}, batch first {batchFirst}, padded to {padded}, {threads} thread(s)";
                for (int n = 0; n < Batch; n++)
                {
                    for (int t = 0; t < padded; t++)
                    {
                        var step = Step(result.Output, batchFirst, padded, n, t);
                        if (t < s_lengths[n]) Assert.True(step.SequenceEqual(Step(reference.Output, batchFirst, Short, n, t)), $"{where}: output of sequence {n} at step {t}");
                        else Assert.True(step.All(v => v == 0), $"{where}: output of sequence {n} at padding step {t} is not zero");
                    }
                }
                Assert.Equal(reference.States, result.States);
                Assert.Equal(reference.ParameterGrads.Length, result.ParameterGrads.Length);
                for (int p = 0; p < reference.ParameterGrads.Length; p++)
                    Assert.True(reference.ParameterGrads[p].SequenceEqual(result.ParameterGrads[p]), $"{where}: gradient of parameter {p}");
                for (int n = 0; n < Batch; n++)
                {
                    for (int t = 0; t < padded; t++)
                    {
                        var grad = Step(result.InputGrad, batchFirst, padded, n, t, Features);
                        if (t < s_lengths[n]) Assert.True(grad.SequenceEqual(Step(reference.InputGrad, batchFirst, Short, n, t, Features)), $"{where}: input gradient of sequence {n} at step {t}");
                        else Assert.True(grad.All(v => v == 0), $"{where}: input gradient at padding step {t} of sequence {n}");
                    }
                }
            }
        }
    }

    private sealed record Result(float[] Output, float[] States, float[][] ParameterGrads, float[] InputGrad);

    /// <summary>
    /// A bidirectional 2-layer network with dropout between its layers, over the fixed batch padded to
    /// <paramref name="padded"/> steps: the padding (and the upstream gradient there) holds values
    /// that differ with the padded length, so any use of them shows.
    /// </summary>
    private static Result Run(string kind, bool batchFirst, int padded)
    {
        RecurrentLayer layer = kind switch
        {
            "LSTM" => new LSTM(Features, Hidden, numLayers: 2, batchFirst: batchFirst, dropout: 0.3, bidirectional: true, generator: new Generator(1)),
            "GRU" => new GRU(Features, Hidden, numLayers: 2, batchFirst: batchFirst, dropout: 0.3, bidirectional: true, generator: new Generator(1)),
            _ => new RNN(Features, Hidden, numLayers: 2, batchFirst: batchFirst, dropout: 0.3, bidirectional: true, generator: new Generator(1)),
        };
        var valid = new Generator(2);
        var padding = new Generator((ulong)(100 + padded));
        var input = Tensor.Zeros(batchFirst ? [Batch, padded, Features] : [padded, Batch, Features]);
        var weights = Tensor.Zeros(batchFirst ? [Batch, padded, 2 * Hidden] : [padded, Batch, 2 * Hidden]);
        // Valid steps in a fixed order (sequence, step), whatever the padding, from one generator; padding from another.
        for (int n = 0; n < Batch; n++)
        {
            for (int t = 0; t < padded; t++)
            {
                var source = t < s_lengths[n] ? valid : padding;
                for (int f = 0; f < Features; f++) input.SetFlat(Row(batchFirst, padded, n, t) * Features + f, (float)source.NextNormal());
                for (int f = 0; f < 2 * Hidden; f++) weights.SetFlat(Row(batchFirst, padded, n, t) * 2 * Hidden + f, (float)source.NextNormal());
            }
        }
        input.RequiresGrad = true;

        Tensor output, hidden;
        Tensor? cell = null;
        switch (layer)
        {
            case LSTM lstm:
                (output, (hidden, cell)) = lstm.Forward(input, s_lengths);
                break;
            case GRU gru:
                (output, hidden) = gru.Forward(input, s_lengths);
                break;
            default:
                (output, hidden) = ((RNN)layer).Forward(input, s_lengths);
                break;
        }
        var loss = (output * weights).Sum() + (hidden * hidden).Sum();
        if (cell is not null) loss += (cell * 0.5f).Sum();
        loss.Backward();

        var states = hidden.ToArray<float>().Concat(cell?.ToArray<float>() ?? []).ToArray();
        return new Result(output.ToArray<float>(), states, [.. layer.Parameters().Select(p => p.Grad!.ToArray<float>())], input.Grad!.ToArray<float>());
    }

    private static int Row(bool batchFirst, int padded, int n, int t) => batchFirst ? n * padded + t : t * Batch + n;

    private static float[] Step(float[] data, bool batchFirst, int padded, int n, int t, int width = 2 * Hidden) =>
        data.AsSpan(Row(batchFirst, padded, n, t) * width, width).ToArray();
}
