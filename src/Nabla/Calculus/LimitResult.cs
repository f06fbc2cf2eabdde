namespace Nabla.Calculus;

/// <summary>The outcome of <see cref="Limit.Of"/>: the limit when it exists, and otherwise why not.</summary>
public sealed record LimitResult
{
    /// <summary>Whether a finite limit was found (<see cref="Status"/> is <see cref="LimitStatus.Converged"/>).</summary>
    public bool Exists => Status == LimitStatus.Converged;

    /// <summary>The limit; NaN whenever it does not exist, an infinite limit included (see <see cref="Status"/>).</summary>
    public required double Value { get; init; }

    /// <summary>An estimate of |<see cref="Value"/> − limit|; NaN when there is no limit.</summary>
    public required double Error { get; init; }

    /// <summary>What was found.</summary>
    public required LimitStatus Status { get; init; }

    /// <summary>A sentence for a person, such as "left limit -1 and right limit 1 differ" or "grows without bound (+∞) as x → 0⁺".</summary>
    public required string Reason { get; init; }

    /// <summary>The limit from the left when it was approached and found, ±∞ for a divergent side; otherwise null.</summary>
    public double? Left { get; init; }

    /// <summary>The limit from the right when it was approached and found, ±∞ for a divergent side; otherwise null.</summary>
    public double? Right { get; init; }

    /// <summary>How many times f was called.</summary>
    public required int Evaluations { get; init; }

    /// <summary>
    /// The value with its error, the status and the one-sided values, e.g. "LimitResult { Value = 1 ± 1e-15,
    /// Status = Converged, Left = 1, Right = 1, Evaluations = 30, Reason = "…" }".
    /// </summary>
    public override string ToString() => new ResultText(nameof(LimitResult)).Add(nameof(Value), Value, Error).Add(nameof(Status), Status.ToString())
        .Add(nameof(Left), Left).Add(nameof(Right), Right).Add(nameof(Evaluations), Evaluations).AddQuoted(nameof(Reason), Reason).ToString();
}
