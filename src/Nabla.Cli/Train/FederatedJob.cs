using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla train --federated</c>: the training rows shared among simulated clients (equal random
/// shares, or label-skewed ones), the library's <see cref="FederatedAveraging"/> run for the rounds asked, one line
/// a round with the global model's losses, then the test scores and the model file as any network's. Under mpirun
/// the clients are spread over the ranks; only rank 0 prints and writes.
/// </summary>
internal static class FederatedJob
{
    /// <summary>Runs the federation on <paramref name="data"/> and saves the global model.</summary>
    /// <exception cref="CommandInputException">The clients do not fit the data: more clients than training rows, or label skew on a regression.</exception>
    public static TrainResult Run(TrainSettings settings, TrainingData data, TrainOutput output, Communicator communicator)
    {
        var federated = settings.Federated!;
        if (communicator.Size > 1)
            output.WriteProgressLine($"Distributed: {communicator.Size} ranks under mpirun, the {federated.Clients} clients spread over them (client k on rank k mod {communicator.Size})");
        var model = ModelFactory.Create(settings, data);
        var xTrain = model.Architecture.ViewAsInput(data.XTrain);
        var (training, validation) = new DataLoader(xTrain, data.YTrain, settings.BatchSize!.Value).Split(TrainSettings.ValidationShare, settings.Seed);
        var clients = FederatedClient.FromShards(training.Inputs, training.Targets, Shards(federated, training, data.Task, settings.Seed));
        output.WriteData(data, training.Count, validation.Count);
        output.WriteModel(model.Description, model.Network.ParameterCount, Description(settings, federated, communicator.Size));

        var fedavg = new FederatedAveraging(model.Network, model.Loss, clients, communicator)
        {
            ClientFraction = federated.ClientFraction,
            LocalEpochs = federated.LocalEpochs,
            BatchSize = settings.BatchSize.Value,
            LearningRate = settings.LearningRate!.Value,
            Momentum = settings.Optimizer == OptimizerKind.Momentum ? 0.9 : 0,
            Seed = settings.Seed,
            Evaluation = validation,
        };
        var epochLine = data.Task == ModelTask.Classification
            ? EpochLine.ForClassification(federated.Rounds, "round")
            : EpochLine.ForRegression(federated.Rounds, validation.Targets.To(DType.Float64).Var(correction: 0).Item(), "round");
        // The global model's loss on the training rows, as the "loss" of an epoch: measured by rank 0 alone, which alone shows it.
        var evaluator = new Trainer(model.Network, model.Loss, new Sgd(model.Network.Parameters(), learningRate: 0));
        var history = new History();
        var clock = Stopwatch.StartNew();
        fedavg.RoundCompleted += round =>
        {
            if (!communicator.IsRoot) return;
            var onTraining = evaluator.Evaluate(training);
            var result = new EpochResult(round.Round, onTraining.Loss, onTraining.Accuracy, round.Loss, round.Accuracy, settings.LearningRate.Value, round.Elapsed);
            history.Add(result);
            output.WriteProgressLine(epochLine.Format(result));
        };
        fedavg.Fit(federated.Rounds);
        var trainingTime = clock.Elapsed;

        var summary = TrainJob.TrainingSummary(settings, data, training.Count, trainingTime);
        summary["optimizer"] = settings.OptimizerName!;
        summary["learning_rate"] = Text(settings.LearningRate.Value);
        summary["batch_size"] = Text(settings.BatchSize.Value);
        summary["federated"] = "fedavg";
        summary["clients"] = Text(federated.Clients);
        summary["rounds"] = Text(federated.Rounds);
        summary["local_epochs"] = Text(federated.LocalEpochs);
        summary["client_fraction"] = Text(federated.ClientFraction);
        summary["partition"] = federated.NonIidAlpha is { } alpha ? $"dirichlet {Text(alpha)}" : "iid";
        summary["ranks"] = Text(communicator.Size);
        string modelPath = Path.GetFullPath(settings.OutPath);
        var (scores, plotPath) = TrainJob.SaveNetwork(settings, data, model, summary, modelPath, communicator.IsRoot,
            history, $"{TrainChoices.Model.WordOf(settings.Model)} by FedAvg on {data.Name}", scheduledRate: false, unit: "round");
        return new TrainResult
        {
            Settings = settings,
            Data = data,
            TrainingRows = training.Count,
            ValidationRows = validation.Count,
            ModelDescription = model.Description,
            ParameterCount = model.Network.ParameterCount,
            History = history,
            EpochLine = epochLine,
            Test = scores,
            ModelPath = modelPath,
            PlotPath = plotPath,
            TrainingTime = trainingTime,
        };
    }

    /// <summary>Each client's rows of <paramref name="training"/>: equal random shares, or label-skewed ones for <c>--non-iid</c>.</summary>
    private static int[][] Shards(FederatedSettings federated, DataLoader training, ModelTask task, ulong seed)
    {
        if (federated.Clients > training.Count)
            throw new CommandInputException($"--clients {federated.Clients} is more than the {training.Count} training rows; each client needs at least one row: give at most {training.Count}.");
        if (federated.NonIidAlpha is not { } alpha) return ClientPartition.Iid(training.Count, federated.Clients, seed);
        if (task != ModelTask.Classification)
            throw new CommandInputException("--non-iid skews the clients' shares of the classes, and this is a regression; leave it out, or train a classifier.");
        return ClientPartition.DirichletLabelSkew(training.Targets.ToArray<int>(), federated.Clients, alpha, seed);
    }

    /// <summary>"Federated: FedAvg, 10 clients (IID), all each round, 30 rounds of 5 local epochs; SGD lr 0.05, batch 10" and, under mpirun, the ranks.</summary>
    private static string Description(TrainSettings settings, FederatedSettings federated, int ranks)
    {
        var invariant = CultureInfo.InvariantCulture;
        string partition = federated.NonIidAlpha is { } alpha ? string.Create(invariant, $"label skew, Dirichlet α {alpha:G6}") : "IID";
        string chosen = federated.ClientFraction >= 1 ? "all each round" : string.Create(invariant, $"{federated.ClientFraction:G4} of them each round");
        string momentum = settings.Optimizer == OptimizerKind.Momentum ? " with momentum 0.9" : "";
        string spread = ranks > 1 ? $", spread over {ranks} ranks" : "";
        return string.Create(invariant,
            $"Federated: FedAvg, {federated.Clients} clients ({partition}{spread}), {chosen}, {federated.Rounds} rounds of {federated.LocalEpochs} local {(federated.LocalEpochs == 1 ? "epoch" : "epochs")}; SGD{momentum} lr {settings.LearningRate:G6}, batch {settings.BatchSize}");
    }

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
