using Nabla.Distributed;

namespace Nabla.Tests.Distributed;

public sealed class ThreadGroupCommunicatorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void AllReduce_CombinesEveryRanksValues_OnEveryRank(int size)
    {
        var results = ThreadGroupCommunicator.Run(size, comm =>
        {
            double[] sum = [comm.Rank, 1.5];
            comm.AllReduce(sum);
            float[] max = [comm.Rank, -comm.Rank];
            comm.AllReduce(max, ReduceOperation.Max);
            long[] min = [comm.Rank + 10];
            comm.AllReduce(min, ReduceOperation.Min);
            return (sum, max, min, comm.Size);
        });
        double expected = size * (size - 1) / 2.0;
        foreach (var (sum, max, min, reportedSize) in results)
        {
            Assert.Equal([expected, 1.5 * size], sum);
            Assert.Equal([size - 1f, 0f], max);
            Assert.Equal([10L], min);
            Assert.Equal(size, reportedSize);
        }
    }

    [Fact]
    public void Sums_AreTakenInRankOrder_SoTheyRepeatBitForBit()
    {
        // 1e16 + 1 − 1e16: in rank order (1e16 + 1) rounds to 1e16, so the sum is 0, never 1.
        double[] values = [1e16, 1, -1e16];
        var results = ThreadGroupCommunicator.Run(3, comm =>
        {
            double[] mine = [values[comm.Rank]];
            comm.AllReduce(mine);
            return mine[0];
        });
        Assert.All(results, r => Assert.Equal((1e16 + 1) - 1e16, r));
    }

    [Fact]
    public void Broadcast_CopiesTheRootsBytes_AndAllGather_KeepsEachRanksLength()
    {
        var results = ThreadGroupCommunicator.Run(3, comm =>
        {
            float[] weights = comm.Rank == 2 ? [1f, 2f, 3f] : new float[3];
            comm.Broadcast(weights, root: 2);
            byte[][] gathered = comm.AllGather(Enumerable.Repeat((byte)comm.Rank, comm.Rank + 1).ToArray());
            return (weights, gathered);
        });
        foreach (var (weights, gathered) in results)
        {
            Assert.Equal([1f, 2f, 3f], weights);
            Assert.Equal([[0], [1, 1], [2, 2, 2]], gathered);
        }
    }

    [Fact]
    public void ARankThatFails_StopsItsPeers_AndItsErrorIsRethrown()
    {
        var error = Assert.Throws<InvalidDataException>(() => ThreadGroupCommunicator.Run(4, comm =>
        {
            if (comm.Rank == 3) throw new InvalidDataException("rank 3 read a bad file");
            comm.Barrier();
            return 0;
        }));
        Assert.Equal("rank 3 read a bad file", error.Message);
    }

    [Fact]
    public void Abort_EndsTheGroup_WithTheReason()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ThreadGroupCommunicator.Run(2, comm =>
        {
            if (comm.Rank == 1) comm.Abort(1, "the data differ");
            comm.Barrier();
            return 0;
        }));
        Assert.Contains("Rank 1", error.Message);
        Assert.Contains("the data differ", error.Message);
    }

    [Fact]
    public void DifferentLengths_AreReported()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreadGroupCommunicator.Run(2, comm =>
        {
            double[] mine = new double[comm.Rank + 1];
            comm.AllReduce(mine);
            return 0;
        }));
        Assert.Contains("same length", error.Message);
    }

    [Fact]
    public void SingleProcess_LeavesValuesAsTheyAre()
    {
        using var comm = new SingleProcessCommunicator();
        double[] values = [1, 2];
        comm.AllReduce(values);
        comm.Broadcast(values);
        Assert.Equal([1.0, 2.0], values);
        Assert.Equal(0, comm.Rank);
        Assert.Equal(1, comm.Size);
        Assert.Throws<ArgumentOutOfRangeException>(() => comm.Broadcast(values, root: 1));
    }
}
