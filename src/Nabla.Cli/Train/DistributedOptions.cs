using System.CommandLine;

namespace Nabla.Cli;

/// <summary>
/// The options of <c>nabla train</c> for training beyond one process: federated averaging (<c>--federated</c> and its
/// settings) and, under <c>mpirun</c>, the global batch of data-parallel training and synchronised batch normalisation.
/// </summary>
internal sealed class DistributedOptions
{
    private readonly Option<bool> _federated = new("--federated")
    {
        Description = "Train by federated averaging (FedAvg, McMahan et al. 2017): the training rows are shared among --clients simulated clients; "
            + "each round the chosen clients start from the global model and train --local-epochs epochs of SGD on their own rows (--lr, by default "
            + $"{FederatedSettings.DefaultLearningRate}; --batch-size, by default {FederatedSettings.DefaultBatchSize}; --optimizer momentum adds momentum 0.9), "
            + "and the global model becomes their average, weighted by their rows. Each round's line shows the global model's validation loss and accuracy. "
            + "Under mpirun the clients are spread over the ranks. For mlp, cnn and the text networks.",
    };

    private readonly Option<int?> _clients = new("--clients") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"With --federated: the number of simulated clients, at least 1; by default {FederatedSettings.DefaultClients}." };
    private readonly Option<int?> _rounds = new("--rounds") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"With --federated: the rounds of averaging, at least 1; by default {FederatedSettings.DefaultRounds}." };
    private readonly Option<int?> _localEpochs = new("--local-epochs") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "E", Description = $"With --federated: the epochs each client trains on its own rows each round, at least 1; by default {FederatedSettings.DefaultLocalEpochs}." };
    private readonly Option<double?> _nonIid = new("--non-iid")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "ALPHA",
        Description = "With --federated: give the clients label-skewed shares, as real clients have: each class's rows are split among the clients in proportions drawn from Dirichlet(ALPHA), greater than 0 (0.1: most clients see one or two classes; 100: almost equal shares). By default every client gets an equal random share (IID). For classification.",
    };
    private readonly Option<double?> _clientFraction = new("--client-fraction") { CustomParser = InvariantNumber.ParseOptional, HelpName = "C", Description = "With --federated: the share of clients drawn (seeded) to train each round, greater than 0 and at most 1; by default 1, every client." };

    private readonly Option<int?> _globalBatch = new("--global-batch")
    {
        CustomParser = InvariantNumber.ParseOptionalWhole<int>,
        HelpName = "N",
        Description = "Under mpirun: the samples of one optimizer step summed over all the ranks, each rank taking an equal share; the run then equals one process trained with --batch-size N. "
            + "--batch-size is instead each rank's share (global batch = ranks × --batch-size, as PyTorch's DistributedDataParallel). In one process both are the batch size. For mlp, cnn and the text networks.",
    };

    private readonly Option<bool> _syncBatchNorm = new("--sync-batch-norm")
    {
        Description = "Under mpirun, with --batch-norm: normalise each batch by the mean and variance of the whole global batch, summed over the ranks at every step (PyTorch's SyncBatchNorm), so the run equals one process; "
            + "by default each rank normalises by its own share, as PyTorch's DistributedDataParallel does, which is faster and differs when the shares are small.",
    };

    private Option[] FederatedOnly => [_clients, _rounds, _localEpochs, _nonIid, _clientFraction];

    /// <summary><c>--global-batch</c>, for the check that it and <c>--batch-size</c> are not both given.</summary>
    public Option<int?> GlobalBatch => _globalBatch;

    /// <summary><c>--federated</c>, for the checks of the options that do not fit it.</summary>
    public Option<bool> Federated => _federated;

    /// <summary>Adds the options to <paramref name="command"/>, with the checks that involve two of them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[_federated, .. FederatedOnly, _globalBatch, _syncBatchNorm]) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            bool federated = result.GetResult(_federated) is { Implicit: false } given && given.Tokens.Count <= 1 && result.GetValue(_federated);
            if (!federated && FederatedOnly.FirstOrDefault(option => result.GetResult(option) is { Implicit: false }) is { } alone)
                result.AddError($"{alone.Name} needs --federated, the federated averaging it sets up.");
            if (federated && result.GetResult(_globalBatch) is { Implicit: false })
                result.AddError("--global-batch does not apply with --federated: each client trains on its own rows with --batch-size.");
        });
    }

    /// <summary>Whether <c>--federated</c> was given.</summary>
    public bool IsFederated(ParseResult parse) => parse.GetValue(_federated);

    /// <summary>Refuses, naming it, any of these options given to a model they do not apply to (<paramref name="why"/>: "--model mf, the recommender").</summary>
    public void RefuseFor(ParseResult parse, string why)
    {
        if (((Option[])[_federated, .. FederatedOnly, _globalBatch, _syncBatchNorm]).FirstOrDefault(option => parse.GetResult(option) is { Implicit: false }) is { } given)
            throw new CommandInputException($"{given.Name} does not apply to {why}: it trains networks by gradient steps; leave it out.");
    }

    /// <summary>The federated settings, each given or its default, checked; null without <c>--federated</c>.</summary>
    /// <exception cref="CommandInputException">A value is out of range.</exception>
    public FederatedSettings? ReadFederated(ParseResult parse)
    {
        if (!IsFederated(parse)) return null;
        var settings = new FederatedSettings(
            Clients: parse.GetValue(_clients) ?? FederatedSettings.DefaultClients,
            Rounds: parse.GetValue(_rounds) ?? FederatedSettings.DefaultRounds,
            LocalEpochs: parse.GetValue(_localEpochs) ?? FederatedSettings.DefaultLocalEpochs,
            NonIidAlpha: parse.GetValue(_nonIid),
            ClientFraction: parse.GetValue(_clientFraction) ?? 1);
        if (settings.Clients is < 1 or > FederatedSettings.MaxClients)
            throw new CommandInputException($"--clients must be a whole number from 1 to {FederatedSettings.MaxClients:N0}, got {settings.Clients}.");
        if (settings.Rounds < 1)
            throw new CommandInputException($"--rounds must be at least 1, got {settings.Rounds}.");
        if (settings.LocalEpochs < 1)
            throw new CommandInputException($"--local-epochs must be at least 1, got {settings.LocalEpochs}.");
        if (settings.NonIidAlpha is { } alpha && !(alpha > 0 && double.IsFinite(alpha)))
            throw new CommandInputException($"--non-iid must be a concentration greater than 0 (0.1 for strong skew, 100 for almost none), got {alpha}.");
        if (!(settings.ClientFraction > 0 && settings.ClientFraction <= 1))
            throw new CommandInputException($"--client-fraction must be greater than 0 and at most 1, got {settings.ClientFraction}.");
        return settings;
    }

    /// <summary>The global batch of data-parallel training (<c>--global-batch</c>), or null for ranks × <c>--batch-size</c>.</summary>
    /// <exception cref="CommandInputException">The value is below 1.</exception>
    public int? ReadGlobalBatch(ParseResult parse)
    {
        int? global = parse.GetValue(_globalBatch);
        if (global is < 1)
            throw new CommandInputException($"--global-batch must be at least 1, got {global}.");
        return global;
    }

    /// <summary>Whether batch normalisation is synchronised across the ranks (<c>--sync-batch-norm</c>).</summary>
    public bool ReadSyncBatchNorm(ParseResult parse) => parse.GetValue(_syncBatchNorm);
}
