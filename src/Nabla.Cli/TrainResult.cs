namespace Nabla.Cli;

/// <summary>What a training run produced: the fitted model, its fit on the training data, and the loss curve.</summary>
internal sealed record TrainResult
{
    public required string Dataset { get; init; }
    public required int Samples { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required string TargetName { get; init; }
    public required TrainSettings Settings { get; init; }

    /// <summary>Weights of the standardised features: the change in the target per standard deviation of each feature.</summary>
    public required double[] StandardizedWeights { get; init; }

    /// <summary>The bias of the model on standardised features (the target's mean, once converged).</summary>
    public required double Bias { get; init; }

    /// <summary>The same model in the features' original units, comparable to an ordinary least-squares fit on the raw data.</summary>
    public required double[] Coefficients { get; init; }

    /// <summary>The intercept in the features' original units.</summary>
    public required double Intercept { get; init; }

    /// <summary>Mean squared error on the training data after the last step.</summary>
    public required double Mse { get; init; }

    /// <summary>Coefficient of determination on the training data, 1 − MSE / Var(y).</summary>
    public required double R2 { get; init; }

    /// <summary>The loss at the epochs that were reported.</summary>
    public required IReadOnlyList<EpochLoss> History { get; init; }

    public required TimeSpan Elapsed { get; init; }
}
