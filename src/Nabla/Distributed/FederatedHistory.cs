namespace Nabla.Distributed;

/// <summary>The rounds of a <see cref="FederatedAveraging"/> run, in order, with the global evaluation of each.</summary>
public sealed class FederatedHistory
{
    private readonly List<FederatedRound> _rounds = [];

    /// <summary>Every finished round.</summary>
    public IReadOnlyList<FederatedRound> Rounds => _rounds;

    /// <summary>The global evaluation loss after each round (NaN without evaluation data).</summary>
    public IReadOnlyList<double> Loss => [.. _rounds.Select(r => r.Loss ?? double.NaN)];

    /// <summary>The global evaluation accuracy after each round (NaN without evaluation data or class labels).</summary>
    public IReadOnlyList<double> Accuracy => [.. _rounds.Select(r => r.Accuracy ?? double.NaN)];

    internal void Add(FederatedRound round) => _rounds.Add(round);
}
