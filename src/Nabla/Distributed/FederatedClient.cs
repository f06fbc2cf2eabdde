namespace Nabla.Distributed;

/// <summary>One federated client: its number and the training samples only it holds.</summary>
/// <param name="Id">The client's number, from 0; it seeds the client's draws and decides which rank runs it.</param>
/// <param name="Inputs">The client's inputs, one sample per index of the first dimension.</param>
/// <param name="Targets">The client's targets, as many samples as <paramref name="Inputs"/>.</param>
public sealed record FederatedClient(int Id, Tensor Inputs, Tensor Targets)
{
    /// <summary>The number of samples the client holds: its weight in the average.</summary>
    public int Count => Inputs.ShapeArray[0];

    /// <summary>The clients that hold the shards of a partition of (<paramref name="inputs"/>, <paramref name="targets"/>).</summary>
    /// <param name="inputs">The whole data set's inputs.</param>
    /// <param name="targets">The whole data set's targets.</param>
    /// <param name="shards">Sample indices per client, as <see cref="ClientPartition"/> gives them; client k gets shard k.</param>
    /// <exception cref="ArgumentException">A shard is empty.</exception>
    /// <exception cref="ShapeMismatchException">The inputs and targets hold different numbers of samples.</exception>
    public static FederatedClient[] FromShards(Tensor inputs, Tensor targets, IReadOnlyList<int[]> shards)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(shards);
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.ShapeArray[0] != targets.ShapeArray[0])
            throw new ShapeMismatchException($"FederatedClient.FromShards: the inputs (shape {Shapes.Format(inputs.ShapeArray)}) and targets (shape {Shapes.Format(targets.ShapeArray)}) must hold the same number of samples along their first dimension.");
        using var _ = Autograd.NoGrad();
        var clients = new FederatedClient[shards.Count];
        for (int k = 0; k < clients.Length; k++)
        {
            if (shards[k] is not { Length: > 0 } shard)
                throw new ArgumentException($"FederatedClient.FromShards: shard {k} is empty; every client needs at least one sample.", nameof(shards));
            var index = Tensor.FromArray(shard);
            clients[k] = new FederatedClient(k, inputs.IndexSelect(0, index), targets.IndexSelect(0, index));
        }
        return clients;
    }
}
