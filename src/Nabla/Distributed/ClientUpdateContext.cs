using Nabla.Losses;
using Nabla.NN;

namespace Nabla.Distributed;

/// <summary>What a <see cref="ClientUpdate"/> works with: one client, in one round.</summary>
public sealed class ClientUpdateContext
{
    internal ClientUpdateContext(FederatedAveraging federation, FederatedClient client, int round, IReadOnlyDictionary<string, Tensor> globalState, Generator generator)
    {
        Model = federation.Model;
        Loss = federation.Loss;
        LocalEpochs = federation.LocalEpochs;
        BatchSize = federation.BatchSize;
        LearningRate = federation.LearningRate;
        Momentum = federation.Momentum;
        Client = client;
        Round = round;
        GlobalState = globalState;
        Generator = generator;
    }

    /// <summary>The model to train, in training mode, holding the global weights when the update starts.</summary>
    public Module Model { get; }

    /// <summary>The loss the federation minimises.</summary>
    public Loss Loss { get; }

    /// <summary>The client whose samples the update trains on.</summary>
    public FederatedClient Client { get; }

    /// <summary>The round, from 1.</summary>
    public int Round { get; }

    /// <summary>
    /// The global weights and buffers at the start of the round, by the names of <see cref="NN.Module.StateDict"/>:
    /// copies that the update may read (FedProx's anchor) but must not change.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> GlobalState { get; }

    /// <summary>Randomness for this client in this round (the batch order), seeded by the federation's seed, the round and the client.</summary>
    public Generator Generator { get; }

    /// <summary>The number of passes over the client's samples (<see cref="FederatedAveraging.LocalEpochs"/>).</summary>
    public int LocalEpochs { get; }

    /// <summary>The local mini-batch size (<see cref="FederatedAveraging.BatchSize"/>).</summary>
    public int BatchSize { get; }

    /// <summary>The local SGD step size (<see cref="FederatedAveraging.LearningRate"/>).</summary>
    public double LearningRate { get; }

    /// <summary>The local SGD momentum (<see cref="FederatedAveraging.Momentum"/>); the optimizer, and so its momentum, starts afresh each round.</summary>
    public double Momentum { get; }
}
