using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// A parameter large enough for Adam to update in chunks on several threads gets exactly the bits
/// of the same values updated as many small parameters (each one pass on the calling thread), at 1
/// and 2 threads, in every form of the update.
/// </summary>
[Collection("Parallelism")]
public class AdamLargeParameterTests
{
    // Above the elementwise parallel threshold (2¹⁷) and not a multiple of the 2¹⁵ chunk, so the last chunk is partial.
    private const int Rows = 5, Columns = 70_001;

    public static TheoryData<string, DType> Forms() => new()
    {
        { "adam", DType.Float32 },
        { "adam", DType.Float64 },
        { "adamw", DType.Float32 },
        { "raw", DType.Float32 },
        { "raw", DType.Float64 },
        { "raw-maximize-l2", DType.Float32 },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void OneLargeParameter_MatchesTheSameValuesAsSmallParameters_AtOneAndTwoThreads(string form, DType dtype)
    {
        var small = ParallelismCollection.AtThreads(1, () => Train(form, dtype, split: true));
        foreach (int threads in new[] { 1, 2 })
        {
            var large = ParallelismCollection.AtThreads(threads, () => Train(form, dtype, split: false));
            Assert.Equal(small.Length, large.Length);
            for (int i = 0; i < small.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(small[i]) == BitConverter.DoubleToInt64Bits(large[i]),
                    $"{form} {dtype} at {threads} thread(s): element {i} is {large[i]:R}, small parameters give {small[i]:R}");
        }
    }

    /// <summary>Three Adam steps from fixed values and gradients; the parameter either whole or cut into its rows.</summary>
    private static double[] Train(string form, DType dtype, bool split)
    {
        var generator = new Generator(7);
        var start = Tensor.Randn([Rows, Columns], generator).To(dtype);
        var gradients = Enumerable.Range(0, 3).Select(_ => Tensor.Randn([Rows, Columns], generator).To(dtype)).ToArray();
        Tensor[] parameters = split
            ? [.. Enumerable.Range(0, Rows).Select(r => start.Slice(0, r, 1).Clone().RequiresGradient())]
            : [start.Clone().RequiresGradient()];
        var optimizer = form switch
        {
            "adam" => new Adam(parameters, learningRate: 0.01),
            "adamw" => new AdamW(parameters, learningRate: 0.01, weightDecay: 0.1),
            "raw" => new Adam(parameters, learningRate: 0.01, epsilonPlacement: AdamEpsilonPlacement.RawMoment),
            _ => new Adam(parameters, learningRate: 0.01, weightDecay: 0.05, maximize: true, epsilonPlacement: AdamEpsilonPlacement.RawMoment),
        };
        foreach (var gradient in gradients)
        {
            for (int i = 0; i < parameters.Length; i++)
                parameters[i].Grad = split ? gradient.Slice(0, i, 1).Clone() : gradient.Clone();
            optimizer.Step();
        }
        return [.. parameters.SelectMany(p => p.ToDoubleArray())];
    }
}
