namespace Nabla.Distributed;

/// <summary>One finished round of <see cref="FederatedAveraging"/>.</summary>
/// <param name="Round">The round, from 1.</param>
/// <param name="Clients">The clients that took part, in ascending order.</param>
/// <param name="Samples">The samples those clients hold together: the denominator of the average.</param>
/// <param name="Loss">The global model's mean loss on the evaluation data, or null without evaluation data.</param>
/// <param name="Accuracy">The global model's accuracy on the evaluation data, or null without evaluation data or class labels.</param>
/// <param name="Elapsed">The wall-clock time of the round, evaluation included.</param>
public sealed record FederatedRound(int Round, IReadOnlyList<int> Clients, int Samples, double? Loss, double? Accuracy, TimeSpan Elapsed)
{
    /// <summary>The round on one line, for logs.</summary>
    public override string ToString() => new ResultText(nameof(FederatedRound)).Add(nameof(Round), Round).Add("Clients", Clients.Count)
        .Add(nameof(Samples), Samples).Add(nameof(Loss), Loss).Add(nameof(Accuracy), Accuracy).ToString();
}
