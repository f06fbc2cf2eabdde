using System.Globalization;
using Nabla.Distributed;

namespace Nabla.MpiHost;

/// <summary>
/// Each collective against its definition, computed on every rank from the formula that gave each
/// rank its input. Argument <c>--piece N</c> caps the elements of one MPI call at N, so that short
/// messages travel in pieces as messages past int.MaxValue elements do.
/// </summary>
internal static class CollectiveScenarios
{
    /// <summary>Lengths around the edges: none, one, an odd few, and more than one piece of any small cap.</summary>
    private static readonly int[] Lengths = [0, 1, 7, 1000, 100_003];

    /// <summary>Sum, max and min of float, double and long values that differ from rank to rank, checked exactly.</summary>
    public static void AllReduce(Communicator comm, string[] args)
    {
        ApplyPieceSize(args);
        foreach (int length in Lengths)
        {
            // Small integers and halves: every sum is exact in float and double, so any grouping of the sum gives the reference.
            Check(comm, length, ReduceOperation.Sum, (r, i) => (float)((r + 1) * (i % 13) - r), (a, b) => a + b);
            Check(comm, length, ReduceOperation.Max, (r, i) => (float)((i + 5 * r) % 11 - 5), Math.Max);
            Check(comm, length, ReduceOperation.Min, (r, i) => (double)((i + 3 * r) % 7) - 0.5 * r, Math.Min);
            Check(comm, length, ReduceOperation.Sum, (r, i) => (r + 1) * 0.5 + i, (a, b) => a + b);
            // Past 2^32, so a 32-bit reduction would be caught.
            Check(comm, length, ReduceOperation.Sum, (r, i) => (1L << 40) * (r + 1) + i, (a, b) => a + b);
            Check(comm, length, ReduceOperation.Max, (r, i) => -(1L << 50) + (i % 5 == r % 5 ? r : 0), Math.Max);
        }
    }

    /// <summary>Every rank's buffer becomes the root's, from the first and from the last rank.</summary>
    public static void Broadcast(Communicator comm, string[] args)
    {
        ApplyPieceSize(args);
        foreach (int root in new[] { 0, comm.Size - 1 })
            foreach (int length in Lengths)
            {
                byte[] bytes = new byte[length];
                if (comm.Rank == root) FillBytes(bytes, root);
                comm.Broadcast(bytes, root);
                byte[] expected = new byte[length];
                FillBytes(expected, root);
                Expect.Equal<byte>(expected, bytes, $"broadcast of {length} bytes from rank {root}");

                double[] values = comm.Rank == root ? [.. Enumerable.Range(0, length).Select(i => i * 0.25 + root)] : new double[length];
                comm.Broadcast(values, root);
                Expect.Equal<double>([.. Enumerable.Range(0, length).Select(i => i * 0.25 + root)], values, $"broadcast of {length} doubles from rank {root}");
            }
    }

    /// <summary>Every rank gets every rank's bytes, each its own length (rank 1's empty), in rank order.</summary>
    public static void AllGather(Communicator comm, string[] args)
    {
        ApplyPieceSize(args);
        foreach (int scale in new[] { 1, 1000 })
        {
            int LengthOf(int rank) => rank == 1 ? 0 : (rank * 3 + 1) * scale;
            byte[] mine = new byte[LengthOf(comm.Rank)];
            FillBytes(mine, comm.Rank);
            byte[][] gathered = comm.AllGather(mine);
            Expect.That(gathered.Length == comm.Size, $"allgather returned {gathered.Length} arrays for {comm.Size} ranks");
            for (int r = 0; r < comm.Size; r++)
            {
                byte[] expected = new byte[LengthOf(r)];
                FillBytes(expected, r);
                Expect.Equal<byte>(expected, gathered[r], $"allgather: rank {r}'s bytes (scale {scale})");
            }
        }
    }

    /// <summary>No rank leaves a barrier before every rank has entered it: each counts the ranks that entered, by a sum taken after it.</summary>
    public static void Barrier(Communicator comm, string[] args)
    {
        for (int round = 0; round < 20; round++)
        {
            comm.Barrier();
            long[] entered = [1];
            comm.AllReduce(entered);
            Expect.That(entered[0] == comm.Size, $"round {round}: {entered[0]} ranks counted, {comm.Size} expected");
        }
    }

    private static void Check<T>(Communicator comm, int length, ReduceOperation operation, Func<int, int, T> valueOf, Func<T, T, T> combine)
        where T : struct, IEquatable<T>
    {
        T[] values = [.. Enumerable.Range(0, length).Select(i => valueOf(comm.Rank, i))];
        switch (values)
        {
            case float[] f: comm.AllReduce(f, operation); break;
            case double[] d: comm.AllReduce(d, operation); break;
            case long[] l: comm.AllReduce(l, operation); break;
        }
        T[] expected = [.. Enumerable.Range(0, length).Select(i => Enumerable.Range(1, comm.Size - 1).Aggregate(valueOf(0, i), (acc, r) => combine(acc, valueOf(r, i))))];
        Expect.Equal<T>(expected, values, $"{operation} of {length} {typeof(T).Name} values");
    }

    private static void FillBytes(Span<byte> bytes, int rank)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)((i * 31 + rank * 17 + 5) % 251);
    }

    private static void ApplyPieceSize(string[] args)
    {
        int at = Array.IndexOf(args, "--piece");
        if (at < 0) return;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int piece) || piece < 1)
            throw new ArgumentException($"--piece needs a positive element count, got '{(at + 1 < args.Length ? args[at + 1] : "")}'.");
        MpiCommunicator.MaxElementsPerCall = piece;
    }
}
