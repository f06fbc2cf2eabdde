using Nabla.Distributed;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Training;
using Nabla.Training;
using Xunit.Abstractions;

namespace Nabla.Tests.Distributed;

public sealed class FederatedAveragingTests(ITestOutputHelper output)
{
    // The digits settings shared by the learning tests: an MLP 64-32-10, SGD with step 0.1 on
    // batches of 10 (McMahan et al.'s B = 10), five local epochs a round (E = 5), every client each
    // round (C = 1), 20 rounds. With E = 1 FedAvg needs many more rounds: after 60 rounds it was at
    // 95.5%, still climbing, where centralised training stood at 96.9%.
    private const double LearningRate = 0.1;
    private const int BatchSize = 10, LocalEpochs = 5, Rounds = 20;

    private static Sequential DigitsModel() => Networks.Mlp([64, 32, 10], () => new ReLU(), seed: 2);

    private static FederatedAveraging DigitsFederation(Module model, int[][] shards, Communicator? communicator = null, double clientFraction = 1)
    {
        var (x, y) = Digits.Train;
        var (testX, testY) = Digits.Test;
        return new FederatedAveraging(model, new CrossEntropyLoss(), FederatedClient.FromShards(x, y, shards), communicator)
        {
            LearningRate = LearningRate, BatchSize = BatchSize, LocalEpochs = LocalEpochs, ClientFraction = clientFraction, Seed = 9,
            Evaluation = new DataLoader(testX, testY, 256),
        };
    }

    /// <summary>
    /// Centralised: the same model, SGD and batch size over all 1,438 training images for as many
    /// epochs as FedAvg's rounds × local epochs (100), so both pass over every sample as often.
    /// </summary>
    private static double CentralisedAccuracy()
    {
        var (x, y) = Digits.Train;
        var (testX, testY) = Digits.Test;
        var model = DigitsModel();
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), LearningRate));
        trainer.Fit(new DataLoader(x, y, BatchSize, shuffle: true, generator: new Generator(9)), Rounds * LocalEpochs);
        return trainer.Evaluate(new DataLoader(testX, testY, 256)).Accuracy!.Value;
    }

    [Fact]
    public void IidFedAvg_With10Clients_ComesWithin2PointsOfCentralisedTraining()
    {
        double centralised = CentralisedAccuracy();
        var federation = DigitsFederation(DigitsModel(), ClientPartition.Iid(1438, 10, seed: 1));
        var seen = new List<FederatedRound>();
        federation.RoundCompleted += seen.Add;
        var history = federation.Fit(Rounds);
        double federated = history.Accuracy[^1];
        output.WriteLine($"centralised {centralised:P2}, IID FedAvg {federated:P2}; per round: {string.Join(" ", history.Accuracy.Select(a => a.ToString("F3")))}");
        Assert.Equal(history.Rounds, seen);
        Assert.All(history.Rounds, r => Assert.Equal(1438, r.Samples));
        Assert.True(federated >= centralised - 0.02, $"IID FedAvg {federated:P2} vs centralised {centralised:P2}");
    }

    /// <summary>Label skew costs accuracy (the gap is reported in the output); it must still learn, well above the 10% of chance.</summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void NonIidFedAvg_StillLearns_AndReportsItsGap(double alpha)
    {
        var labels = Digits.Train.Y.ToArray<int>();
        var shards = ClientPartition.DirichletLabelSkew(labels, 10, alpha, seed: 1);
        var history = DigitsFederation(DigitsModel(), shards).Fit(Rounds);
        output.WriteLine($"alpha {alpha}: label skew {ClientPartitionTests.MeanLabelDistance(shards, labels):F3}, FedAvg accuracy {history.Accuracy[^1]:P2}; per round: {string.Join(" ", history.Accuracy.Select(a => a.ToString("F3")))}");
        Assert.True(history.Accuracy[^1] > 0.5, $"non-IID (alpha {alpha}) FedAvg accuracy {history.Accuracy[^1]:P2}");
    }

    /// <summary>
    /// Half the clients a round over 1, 2 and 3 ranks (threads): each client's update depends only on
    /// the global weights, its data and its own seed, so only the order in which the double sums are
    /// added differs. The averages are rounded to float once, so the weights agree to 1e-6 (and are
    /// usually bit-identical: the sums must differ across a float rounding boundary to show).
    /// </summary>
    [Fact]
    public void ClientsSpreadOverRanks_GiveTheWeightsOfOneProcess()
    {
        var shards = ClientPartition.Iid(1438, 10, seed: 1);
        const int rounds = 3;
        var single = DigitsFederation(DigitsModel(), shards, clientFraction: 0.5);
        single.Fit(rounds);
        var expected = StateValues(single.Model);
        foreach (int ranks in new[] { 1, 2, 3 })
        {
            var results = ThreadGroupCommunicator.Run(ranks, comm =>
            {
                // Rank 0's initial weights are broadcast, so the other ranks may start from anything.
                var model = comm.IsRoot ? DigitsModel() : Networks.Mlp([64, 32, 10], () => new ReLU(), seed: 100 + (ulong)comm.Rank);
                var federation = DigitsFederation(model, shards, comm, clientFraction: 0.5);
                federation.Fit(rounds);
                return (State: StateValues(model), federation.History);
            });
            foreach (var (state, history) in results)
            {
                double largest = state.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
                output.WriteLine($"{ranks} ranks: largest difference from one process {largest:G3}");
                Assert.True(largest <= 1e-6, $"{ranks} ranks differ from one process by {largest}");
                Assert.Equal(single.History.Rounds.Select(r => r.Clients), history.Rounds.Select(r => r.Clients));
                Assert.All(history.Rounds, r => Assert.Equal(5, r.Clients.Count));
            }
        }
    }

    /// <summary>
    /// Buffers are averaged like weights: with batch norm, every entry of the state after a round of
    /// two clients (5 and 15 samples) is (5·s₀ + 15·s₁)/20 of the states each client reaches alone
    /// (a federation of that client only). Full batches make a client's result independent of its seed.
    /// </summary>
    [Fact]
    public void BatchNormRunningStatistics_AreAveragedWeightedBySampleCount()
    {
        var generator = new Generator(5);
        FederatedClient Client(int id, int count) =>
            new(id, Tensor.Randn([count, 3], generator) * (1 + id), Tensor.FromArray([.. Enumerable.Range(0, count).Select(i => i % 2)], [count]));
        FederatedClient[] clients = [Client(0, 5), Client(1, 15)];
        Dictionary<string, double[]> StateAfterOneRound(params FederatedClient[] members)
        {
            var model = new Sequential();
            model.Add(new Linear(3, 4, generator: new Generator(1)));
            model.Add(new BatchNorm1d(4));
            model.Add(new ReLU());
            model.Add(new Linear(4, 2, generator: new Generator(2)));
            var federation = new FederatedAveraging(model, new CrossEntropyLoss(), members) { BatchSize = 20, LocalEpochs = 3, LearningRate = 0.5 };
            federation.Fit(1);
            return model.StateDict().ToDictionary(e => e.Key, e => e.Value.ToDoubleArray());
        }
        var together = StateAfterOneRound(clients);
        var first = StateAfterOneRound(clients[0]);
        var second = StateAfterOneRound(clients[1] with { Id = 0 });
        Assert.Contains("1.running_mean", together.Keys);
        Assert.Equal([3.0], together["1.num_batches_tracked"]);
        foreach (var (name, values) in together)
            for (int i = 0; i < values.Length; i++)
                Assert.Equal((5 * first[name][i] + 15 * second[name][i]) / 20, values[i], 5);
        Assert.NotEqual(first["1.running_mean"], second["1.running_mean"]);
    }

    private static float[] StateValues(Module model) => [.. model.StateDict().Values.SelectMany(t => t.ToArray<float>())];

    /// <summary>
    /// y = w·x with w starting at 0 and the mean squared error; client 0 holds one sample (1, 1),
    /// client 1 three samples (1, 4). One full-batch step of size 0.1 gives each client
    /// w − 0.1·2·mean(x(wx − y)): client 0 reaches 0.2, client 1 0.8. Weighted by 1 and 3 samples the
    /// average is (0.2 + 3·0.8)/4 = 0.65; an unweighted average would give 0.5.
    /// </summary>
    [Fact]
    public void OneRound_AveragesTheClientsWeights_WeightedBySampleCount()
    {
        var federation = LinearFederation(clientUpdate: null, localEpochs: 1);
        federation.Fit(1);
        Assert.Equal(0.65, LinearWeight(federation), 6);
        Assert.Equal(4, federation.History.Rounds[0].Samples);
    }

    /// <summary>
    /// FedProx (Li et al. 2020) as a client update: the loss gains μ/2·‖w − w_global‖². Two local steps of
    /// size 0.1 with μ = 1 from w = 0: client 0 goes 0 → 0.2 → 0.2 − 0.1·(2(0.2 − 1) + 1·0.2) = 0.34,
    /// client 1 goes 0 → 0.8 → 0.8 − 0.1·(2(0.8 − 4) + 1·0.8) = 1.36; averaged (0.34 + 3·1.36)/4 = 1.105.
    /// With μ = 0 the same callback gives plain FedAvg's (0.36 + 3·1.44)/4 = 1.17, as the default update does.
    /// </summary>
    [Fact]
    public void AFedProxClientUpdate_AddsTheProximalTerm_ThroughTheCallbackAlone()
    {
        var proximal = LinearFederation(FedProx(mu: 1), localEpochs: 2);
        proximal.Fit(1);
        Assert.Equal(1.105, LinearWeight(proximal), 6);

        var withoutTerm = LinearFederation(FedProx(mu: 0), localEpochs: 2);
        var plain = LinearFederation(clientUpdate: null, localEpochs: 2);
        withoutTerm.Fit(1);
        plain.Fit(1);
        Assert.Equal(1.17, LinearWeight(plain), 6);
        Assert.Equal(LinearWeight(plain), LinearWeight(withoutTerm));
    }

    /// <summary>A FedProx client update: local SGD epochs on the loss plus μ/2·Σ‖p − p_global‖² over the parameters.</summary>
    private static ClientUpdate FedProx(double mu) => context =>
    {
        var parameters = context.Model.NamedParameters().ToArray();
        var optimizer = new Sgd(parameters.Select(p => p.Parameter), context.LearningRate, context.Momentum);
        var data = new DataLoader(context.Client.Inputs, context.Client.Targets, context.BatchSize, shuffle: true, generator: context.Generator);
        for (int epoch = 0; epoch < context.LocalEpochs; epoch++)
        {
            foreach (var batch in data)
            {
                optimizer.ZeroGrad();
                var loss = context.Loss.Forward(context.Model.Forward(batch.Inputs), batch.Targets);
                foreach (var (name, parameter) in parameters)
                {
                    var drift = parameter - context.GlobalState[name];
                    loss = loss + (drift * drift).Sum() * (mu / 2);
                }
                loss.Backward();
                optimizer.Step();
            }
        }
    };

    private static FederatedAveraging LinearFederation(ClientUpdate? clientUpdate, int localEpochs)
    {
        var model = new Sequential();
        model.Add(new Linear(1, 1, bias: false));
        model.LoadStateDict(new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([1, 1]) });
        FederatedClient[] clients =
        [
            new(0, Tensor.FromArray([1f], 1, 1), Tensor.FromArray([1f], 1, 1)),
            new(1, Tensor.FromArray([1f, 1f, 1f], 3, 1), Tensor.FromArray([4f, 4f, 4f], 3, 1)),
        ];
        return new FederatedAveraging(model, new MseLoss(), clients)
        {
            LearningRate = 0.1, LocalEpochs = localEpochs, ClientUpdate = clientUpdate,
        };
    }

    private static double LinearWeight(FederatedAveraging federation) => federation.Model.StateDict()["0.weight"].Item();

    [Fact]
    public void BadSettings_AreRefused_NamingTheValue()
    {
        var model = DigitsModel();
        var (x, y) = Digits.Train;
        var clients = FederatedClient.FromShards(x, y, ClientPartition.Iid(1438, 3, 0));
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new FederatedAveraging(model, new CrossEntropyLoss(), clients) { ClientFraction = 0 }).Message);
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new FederatedAveraging(model, new CrossEntropyLoss(), clients) { LocalEpochs = 0 }).Message);
        Assert.Contains("numbered 0 to 1", Assert.Throws<ArgumentException>(() => new FederatedAveraging(model, new CrossEntropyLoss(), [clients[1], clients[0]])).Message);
        Assert.Contains("shard 1 is empty", Assert.Throws<ArgumentException>(() => FederatedClient.FromShards(x, y, [[0], []])).Message);
    }

    /// <summary>Ranks given different client lists stop at the start with a message, rather than averaging mismatched sums.</summary>
    [Fact]
    public void RanksThatDisagreeOnTheClients_AreStoppedAtTheStart()
    {
        var (x, y) = Digits.Train;
        var error = Assert.Throws<InvalidOperationException>(() => ThreadGroupCommunicator.Run(2, comm =>
        {
            var clients = FederatedClient.FromShards(x, y, ClientPartition.Iid(1438, 3 + comm.Rank, 0));
            return new FederatedAveraging(DigitsModel(), new CrossEntropyLoss(), clients, comm).Fit(1);
        }));
        Assert.Contains("number of clients ranges from 3 to 4", error.Message);
    }
}
