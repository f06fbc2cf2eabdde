using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.NN;

/// <summary>
/// Small synthetic text tasks for the sequence models: random token ids of random lengths, padded
/// with id 0 to a common length, with a label that depends on the tokens (and for one task on their order).
/// </summary>
internal static class TokenTasks
{
    /// <summary>Ids used: 0 padding, 1 … <see cref="Vocabulary"/> − 1 tokens.</summary>
    public const int Vocabulary = 10;

    /// <summary>A padded batch: ids (N, L) Int32, each row's valid length, and the labels (N) Int32.</summary>
    public sealed record Batch(Tensor Ids, int[] Lengths, Tensor Labels);

    /// <summary>Label 1 when token 3 occurs in the text: order does not matter. Texts of 1 … <paramref name="steps"/> tokens from 1 … 9.</summary>
    public static Batch ContainsThree(Generator g, int count, int steps) => Make(count, steps, n =>
    {
        var tokens = new int[1 + g.NextInt(steps)];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = 1 + g.NextInt(Vocabulary - 1);
        return (tokens, tokens.Contains(3) ? 1 : 0);
    });

    /// <summary>
    /// Label 1 when token 3 comes before token 4: each text holds both once, at random places among
    /// 0 … <paramref name="steps"/> − 2 other tokens from 5 … 9, so the same bag of tokens has either
    /// label and a model blind to order stays at chance.
    /// </summary>
    public static Batch ThreeBeforeFour(Generator g, int count, int steps) => Make(count, steps, n =>
    {
        var tokens = new int[2 + g.NextInt(steps - 1)];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = 5 + g.NextInt(Vocabulary - 5);
        int three = g.NextInt(tokens.Length), four = g.NextInt(tokens.Length - 1);
        if (four >= three) four++;
        (tokens[three], tokens[four]) = (3, 4);
        return (tokens, three < four ? 1 : 0);
    });

    private static Batch Make(int count, int steps, Func<int, (int[] Tokens, int Label)> draw)
    {
        var ids = new int[count * steps];
        var lengths = new int[count];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            var (tokens, label) = draw(n);
            tokens.CopyTo(ids, n * steps);
            (lengths[n], labels[n]) = (tokens.Length, label);
        }
        return new(Tensor.FromArray(ids, count, steps), lengths, Tensor.FromArray(labels));
    }

    /// <summary>Adam on cross-entropy for <paramref name="steps"/> steps, a fresh batch of 32 texts from <paramref name="draw"/> each step.</summary>
    /// <param name="model">The model whose parameters are trained.</param>
    /// <param name="logits">The model's logits for a batch.</param>
    /// <param name="draw">A task: a batch of the given size from the generator.</param>
    /// <param name="steps">The number of optimizer steps.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static void Train(Module model, Func<Batch, Tensor> logits, Func<Generator, int, Batch> draw, int steps, double learningRate)
    {
        var optimizer = new Adam(model.Parameters(), learningRate);
        var loss = new CrossEntropyLoss();
        var data = new Generator(10);
        for (int step = 0; step < steps; step++)
        {
            var batch = draw(data, 32);
            optimizer.ZeroGrad();
            loss.Forward(logits(batch), batch.Labels).Backward();
            optimizer.Step();
        }
    }

    /// <summary>The share of rows whose largest logit is the label.</summary>
    public static double Accuracy(Tensor logits, Tensor labels) =>
        logits.ArgMax(axis: 1).ToArray<int>().Zip(labels.ToArray<int>(), (p, y) => p == y ? 1.0 : 0.0).Average();
}
