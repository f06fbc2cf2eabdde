namespace Nabla.Cli;

/// <summary>How <c>nabla train --federated</c> simulates federated averaging: one value per option.</summary>
/// <param name="Clients">The simulated clients the training rows are shared among (<c>--clients</c>).</param>
/// <param name="Rounds">The rounds of averaging (<c>--rounds</c>).</param>
/// <param name="LocalEpochs">The epochs each chosen client trains on its own rows a round (<c>--local-epochs</c>).</param>
/// <param name="NonIidAlpha">The Dirichlet concentration of the clients' label skew (<c>--non-iid</c>), or null for equal random shares.</param>
/// <param name="ClientFraction">The share of clients that train each round (<c>--client-fraction</c>), in (0, 1].</param>
internal sealed record FederatedSettings(int Clients, int Rounds, int LocalEpochs, double? NonIidAlpha, double ClientFraction)
{
    /// <summary>The clients when <c>--clients</c> is not given.</summary>
    public const int DefaultClients = 10;

    /// <summary>The rounds when <c>--rounds</c> is not given.</summary>
    public const int DefaultRounds = 30;

    /// <summary>The local epochs when <c>--local-epochs</c> is not given: McMahan et al.'s E = 5.</summary>
    public const int DefaultLocalEpochs = 5;

    /// <summary>The clients' batch size when <c>--batch-size</c> is not given: McMahan et al.'s B = 10.</summary>
    public const int DefaultBatchSize = 10;

    /// <summary>The clients' SGD step size when <c>--lr</c> is not given.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>The most clients: each holds at least one training row, and each round visits every chosen one.</summary>
    public const int MaxClients = 100_000;
}
