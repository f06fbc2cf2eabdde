using System.Runtime.InteropServices;
using Nabla.Estimators;

namespace Nabla.Distributed;

/// <summary>
/// The ranks of a <see cref="Communicator"/> as the blocks of rows of one fit: rank r holds block r,
/// sums are allreduced and triangles allgathered, so every rank gets the same combined values.
/// </summary>
internal sealed class CommunicatorBlocks(Communicator comm) : SampleBlocks
{
    public override bool IsFirst => comm.IsRoot;

    public override void Sum(Span<double> values) => comm.AllReduce(values, ReduceOperation.Sum);

    public override double[][] Gather(double[] mine)
    {
        var gathered = comm.AllGather(MemoryMarshal.AsBytes(mine.AsSpan()));
        var blocks = new double[gathered.Length][];
        for (int r = 0; r < gathered.Length; r++)
        {
            if (gathered[r].Length != mine.Length * sizeof(double))
                throw new InvalidDataException($"Distributed fit: rank {r} sent {gathered[r].Length} bytes where rank {comm.Rank} sent {mine.Length * sizeof(double)}; every rank must fit the same features and targets.");
            blocks[r] = MemoryMarshal.Cast<byte, double>(gathered[r]).ToArray();
        }
        return blocks;
    }
}
