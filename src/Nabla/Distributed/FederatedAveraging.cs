using System.Diagnostics;
using System.Runtime.InteropServices;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Distributed;

/// <summary>
/// Federated averaging (FedAvg, McMahan et al. 2017): clients hold disjoint shards of the data and
/// never share them; each round a share of the clients start from the global weights, train locally
/// (<see cref="ClientUpdate"/>), and the global weights become the average of theirs, each client
/// weighted by its number of samples.
/// </summary>
/// <remarks>
/// <code>
/// for round t = 1 … R:
///     S = ⌈C·K⌉ clients drawn at random (all of them when C = 1)
///     for each client k in S:  w_k = ClientUpdate(k, w)       (default: E epochs of SGD, batch B)
///     w = Σ_{k∈S} n_k·w_k / Σ_{k∈S} n_k
/// </code>
/// Buffers (batch-norm running statistics) are averaged with the same weights; integer buffers
/// (batch counters) are rounded to the nearest integer.
/// <para>
/// The clients may be spread over the ranks of a <see cref="Distributed.Communicator"/>: client k runs
/// on rank k mod size, each rank adds up n_k·w_k over its own clients in double precision, and one
/// allreduce combines the sums (and the sample counts). Every rank builds the same model and is given
/// the same client list; rank 0's initial weights are broadcast first. A client's update depends only
/// on the global weights, its data and its own seeded generator, so the result does not depend on the
/// number of ranks, up to the order in which the double-precision sums are added: the averaged weights
/// agree with a one-process run to within rounding of the final float (see the tests).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var shards = ClientPartition.DirichletLabelSkew(labels, clients: 10, alpha: 0.5, seed: 1);
/// var federation = new FederatedAveraging(model, new CrossEntropyLoss(), FederatedClient.FromShards(x, y, shards))
/// {
///     LocalEpochs = 1, BatchSize = 10, LearningRate = 0.05, Evaluation = new DataLoader(testX, testY, 256),
/// };
/// federation.RoundCompleted += round => Console.WriteLine(round);
/// FederatedHistory history = federation.Fit(rounds: 30);
/// </code>
/// </example>
public sealed class FederatedAveraging
{
    private readonly Trainer _evaluator;
    private double _clientFraction = 1, _learningRate = 0.05, _momentum;
    private int _localEpochs = 1, _batchSize = 10;
    private int _round;

    /// <summary>Sets up a federation around a model; nothing is trained until <see cref="Fit"/>.</summary>
    /// <param name="model">The global model (on each rank its own copy, built the same way); it ends holding the global weights.</param>
    /// <param name="loss">The loss the clients minimise and the evaluation reports; it must reduce to a scalar.</param>
    /// <param name="clients">Every client of the federation, the same list on every rank; at least one.</param>
    /// <param name="communicator">The ranks the clients are spread over; null runs them all in this process.</param>
    /// <exception cref="ArgumentException"><paramref name="clients"/> is empty, or their numbers are not 0 … K − 1 in order, or the loss does not reduce.</exception>
    public FederatedAveraging(Module model, Loss loss, IReadOnlyList<FederatedClient> clients, Communicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(clients);
        if (clients.Count == 0)
            throw new ArgumentException("FederatedAveraging: there are no clients; give at least one.", nameof(clients));
        for (int k = 0; k < clients.Count; k++)
            if (clients[k]?.Id != k)
                throw new ArgumentException($"FederatedAveraging: client {k} of the list has number {clients[k]?.Id.ToString() ?? "null"}; clients must be numbered 0 to {clients.Count - 1} in order (FederatedClient.FromShards does that).", nameof(clients));
        Model = model;
        Loss = loss;
        Clients = clients;
        Communicator = communicator ?? new SingleProcessCommunicator();
        // Trainer.Evaluate is the library's evaluation loop; it needs an optimizer, which it never steps.
        _evaluator = new Trainer(model, loss, new Sgd(model.Parameters(), learningRate: 0));
    }

    /// <summary>The global model.</summary>
    public Module Model { get; }

    /// <summary>The loss the clients minimise.</summary>
    public Loss Loss { get; }

    /// <summary>Every client, in order of their numbers.</summary>
    public IReadOnlyList<FederatedClient> Clients { get; }

    /// <summary>The ranks the clients are spread over (a group of one by default).</summary>
    public Communicator Communicator { get; }

    /// <summary>The share C of clients drawn each round, in (0, 1]: ⌈C·K⌉ of the K clients; 1 (the default) takes every client.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double ClientFraction
    {
        get => _clientFraction;
        init => _clientFraction = value > 0 && value <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ClientFraction), value, $"FederatedAveraging: the client fraction must be in (0, 1], got {value}.");
    }

    /// <summary>The passes E over its samples each client makes per round with the default update (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int LocalEpochs { get => _localEpochs; init => _localEpochs = Hyperparameters.AtLeastOne(value, "FederatedAveraging: the local epochs", nameof(LocalEpochs)); }

    /// <summary>The local mini-batch size B of the default update (default 10, as in the paper).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize { get => _batchSize; init => _batchSize = Hyperparameters.AtLeastOne(value, "FederatedAveraging: the batch size", nameof(BatchSize)); }

    /// <summary>The step size of the default update's SGD (default 0.05).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate { get => _learningRate; init => _learningRate = Hyperparameters.NonNegative(value, "FederatedAveraging: the learning rate", nameof(LearningRate)); }

    /// <summary>The momentum of the default update's SGD, in [0, 1) (default 0); each client's optimizer starts afresh every round.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public double Momentum { get => _momentum; init => _momentum = Hyperparameters.InUnitInterval(value, "FederatedAveraging: the momentum", nameof(Momentum)); }

    /// <summary>Seeds the choice of clients each round and each client's generator (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>The clients' local training; null (the default) is <see cref="TrainLocally"/>.</summary>
    public ClientUpdate? ClientUpdate { get; init; }

    /// <summary>Data the global model is evaluated on after each round (loss, and accuracy for class labels); null for none.</summary>
    public DataLoader? Evaluation { get; init; }

    /// <summary>The rounds finished so far, across calls to <see cref="Fit"/>.</summary>
    public FederatedHistory History { get; } = new();

    /// <summary>Raised on every rank after each round, once the global weights are averaged and evaluated.</summary>
    public event Action<FederatedRound>? RoundCompleted;

    /// <summary>
    /// The default client update: <see cref="ClientUpdateContext.LocalEpochs"/> epochs of mini-batch SGD
    /// (a fresh optimizer with the context's learning rate and momentum) over the client's samples,
    /// shuffled by the context's generator, through a <see cref="Trainer"/>.
    /// </summary>
    /// <param name="context">The client and round to train.</param>
    public static void TrainLocally(ClientUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var optimizer = new Sgd(context.Model.Parameters(), context.LearningRate, context.Momentum);
        var data = new DataLoader(context.Client.Inputs, context.Client.Targets, context.BatchSize, shuffle: true, generator: context.Generator);
        new Trainer(context.Model, context.Loss, optimizer).Fit(data, context.LocalEpochs);
    }

    /// <summary>Runs <paramref name="rounds"/> more rounds; every rank of <see cref="Communicator"/> must call it alike.</summary>
    /// <param name="rounds">The number of rounds (≥ 1).</param>
    /// <returns>The history of every round so far (also <see cref="History"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounds"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The ranks disagree on the number of clients or the model's size.</exception>
    public FederatedHistory Fit(int rounds)
    {
        Hyperparameters.AtLeastOne(rounds, "FederatedAveraging.Fit: the number of rounds", nameof(rounds));
        var state = Model.StateDict().Values.ToArray();
        if (_round == 0) StartTogether(state);
        for (int i = 0; i < rounds; i++) RunRound(++_round, state);
        return History;
    }

    /// <summary>Checks that the ranks agree on the clients and the model, then gives them all rank 0's initial weights.</summary>
    private void StartTogether(Tensor[] state)
    {
        long[] shape = [Clients.Count, state.Sum(t => (long)t.Length)];
        long[] largest = [.. shape], smallest = [.. shape];
        Communicator.AllReduce(largest, ReduceOperation.Max);
        Communicator.AllReduce(smallest, ReduceOperation.Min);
        if (!largest.SequenceEqual(smallest))
            throw new InvalidOperationException($"FederatedAveraging: the ranks disagree: the number of clients ranges from {smallest[0]} to {largest[0]} and the model's state from {smallest[1]} to {largest[1]} values; every rank needs the same client list and the same model.");
        foreach (var tensor in state) Communicator.Broadcast(BytesOf(tensor));
    }

    private void RunRound(int round, Tensor[] state)
    {
        long start = Stopwatch.GetTimestamp();
        int[] selected = SelectClients(round);
        var globalState = Snapshot();
        var sums = new double[state.Sum(t => t.Length) + 1]; // the weighted state, then the sample count
        foreach (int id in selected)
        {
            if (id % Communicator.Size != Communicator.Rank) continue;
            var client = Clients[id];
            Model.LoadStateDict(globalState);
            ReseedRandomModules(round, id);
            Model.Train();
            (ClientUpdate ?? TrainLocally)(new ClientUpdateContext(this, client, round, globalState, new Generator(ClientSeed(round, id))));
            AddWeighted(state, client.Count, sums);
        }
        Communicator.AllReduce(sums);
        int samples = (int)sums[^1];
        StoreAverage(state, sums, samples);
        Evaluation? evaluation = Evaluation is null ? null : _evaluator.Evaluate(Evaluation);
        var result = new FederatedRound(round, selected, samples, evaluation?.Loss, evaluation?.Accuracy, Stopwatch.GetElapsedTime(start));
        History.Add(result);
        RoundCompleted?.Invoke(result);
    }

    /// <summary>The round's clients, ⌈C·K⌉ of them drawn without replacement, in ascending order; the same on every rank.</summary>
    private int[] SelectClients(int round)
    {
        // The 1e-9 keeps a product such as 0.3·10 = 3.0000000000000004 from rounding up to 4.
        int count = Math.Max(1, (int)Math.Ceiling(ClientFraction * Clients.Count - 1e-9));
        var ids = Enumerable.Range(0, Clients.Count).ToArray();
        if (count < ids.Length) new Generator(ClientSeed(round, -1)).Shuffle<int>(ids);
        var selected = ids[..count];
        Array.Sort(selected);
        return selected;
    }

    /// <summary>A seed for one (round, client) pair (client −1: the round's draw of clients); the generator's SplitMix64 spreads nearby seeds apart.</summary>
    private ulong ClientSeed(int round, int client) => Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)round << 32 | (uint)client);

    /// <summary>
    /// Dropout and other random layers draw from a generator seeded by the round, the client and the
    /// layer's place in the model, so the rank that runs a client does not matter.
    /// </summary>
    private void ReseedRandomModules(int round, int client)
    {
        int index = 0;
        foreach (var (_, module) in Model.NamedModules())
            if (module is IRandomModule random)
                random.Generator.SetState(new Generator(ClientSeed(round, client) + (ulong)++index).GetState());
    }

    /// <summary>Copies of the model's state, by name, as it stands now.</summary>
    private Dictionary<string, Tensor> Snapshot()
    {
        using var _ = Autograd.NoGrad();
        return Model.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.Detach().Clone(), StringComparer.Ordinal);
    }

    private static void AddWeighted(Tensor[] state, int weight, double[] sums)
    {
        int offset = 0;
        foreach (var tensor in state)
        {
            var target = sums.AsSpan(offset, tensor.Length);
            switch (tensor.DType)
            {
                case DType.Float32: { var values = tensor.Span<float>(); for (int i = 0; i < values.Length; i++) target[i] += weight * (double)values[i]; break; }
                case DType.Float64: { var values = tensor.Span<double>(); for (int i = 0; i < values.Length; i++) target[i] += weight * values[i]; break; }
                default: { var values = tensor.Span<int>(); for (int i = 0; i < values.Length; i++) target[i] += weight * (double)values[i]; break; }
            }
            offset += tensor.Length;
        }
        sums[^1] += weight;
    }

    private static void StoreAverage(Tensor[] state, double[] sums, int samples)
    {
        int offset = 0;
        foreach (var tensor in state)
        {
            var source = sums.AsSpan(offset, tensor.Length);
            switch (tensor.DType)
            {
                case DType.Float32: { var values = tensor.Span<float>(); for (int i = 0; i < values.Length; i++) values[i] = (float)(source[i] / samples); break; }
                case DType.Float64: { var values = tensor.Span<double>(); for (int i = 0; i < values.Length; i++) values[i] = source[i] / samples; break; }
                default: { var values = tensor.Span<int>(); for (int i = 0; i < values.Length; i++) values[i] = (int)Math.Round(source[i] / samples); break; }
            }
            offset += tensor.Length;
        }
    }

    private static Span<byte> BytesOf(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(tensor.Span<float>()),
        DType.Float64 => MemoryMarshal.AsBytes(tensor.Span<double>()),
        _ => MemoryMarshal.AsBytes(tensor.Span<int>()),
    };
}
