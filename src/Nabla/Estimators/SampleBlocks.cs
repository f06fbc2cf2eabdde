namespace Nabla.Estimators;

/// <summary>
/// The samples of one fit split into blocks of rows, each held by another worker (a rank of a
/// distributed job): the two exchanges a solver needs to combine what each block computed. A fit
/// in one process is a single block, <see cref="Whole"/>.
/// </summary>
/// <remarks>
/// Every worker must call the same exchanges in the same order with the same lengths, and each
/// exchange must give every worker the same result, bit for bit, so that the workers' solvers take
/// the same steps and stop together.
/// </remarks>
internal abstract class SampleBlocks
{
    /// <summary>All the samples in one block: the exchanges change nothing.</summary>
    public static SampleBlocks Whole { get; } = new WholeSamples();

    /// <summary>Whether this worker holds the first block, whose share carries the terms counted once (a penalty).</summary>
    public abstract bool IsFirst { get; }

    /// <summary>Replaces <paramref name="values"/> by their sums over the blocks, in block order.</summary>
    public abstract void Sum(Span<double> values);

    /// <summary>Every block's <paramref name="mine"/>, of the same length on all, in block order.</summary>
    public abstract double[][] Gather(double[] mine);

    private sealed class WholeSamples : SampleBlocks
    {
        public override bool IsFirst => true;

        public override void Sum(Span<double> values) { }

        public override double[][] Gather(double[] mine) => [mine];
    }
}
