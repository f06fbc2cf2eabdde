namespace Nabla.Selection;

/// <summary>A finished trial, as the leaderboard and the saved search state hold it.</summary>
public sealed class TrialRecord
{
    internal TrialRecord(int number, TrialParameters parameters, int budget, TrialState state, TrialScore? score,
        TimeSpan duration, IReadOnlyList<IntermediateValue> intermediateValues, string? error)
    {
        (Number, Parameters, Budget, State, Duration, IntermediateValues, Error) = (number, parameters, budget, state, duration, intermediateValues, error);
        Score = score?.Value;
        Std = score?.Std;
    }

    /// <summary>The trial's number in the search, from 0.</summary>
    public int Number { get; }

    /// <summary>The settings it tried.</summary>
    public TrialParameters Parameters { get; }

    /// <summary>The budget it was given.</summary>
    public int Budget { get; }

    /// <summary>How it ended.</summary>
    public TrialState State { get; }

    /// <summary>The score the objective returned; null unless <see cref="State"/> is <see cref="TrialState.Complete"/>.</summary>
    public double? Score { get; }

    /// <summary>The standard deviation the objective gave with the score, if any.</summary>
    public double? Std { get; }

    /// <summary>How long the objective ran.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The values it reported along the way.</summary>
    public IReadOnlyList<IntermediateValue> IntermediateValues { get; }

    /// <summary>Why it failed: the objective's exception message; null unless <see cref="State"/> is <see cref="TrialState.Failed"/>.</summary>
    public string? Error { get; }

    /// <summary>One line: number, state, score ± std, budget, settings.</summary>
    public override string ToString()
    {
        string outcome = State switch
        {
            TrialState.Complete => Std is { } std ? $"{Score:G6} ± {std:G3}" : $"{Score:G6}",
            TrialState.Pruned => $"pruned at step {IntermediateValues[^1].Step}",
            _ => $"failed: {Error}",
        };
        return $"#{Number} {outcome} (budget {Budget}, {Duration.TotalSeconds:F2} s): {Parameters}";
    }
}
