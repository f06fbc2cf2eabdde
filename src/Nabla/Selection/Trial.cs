namespace Nabla.Selection;

/// <summary>One run of the objective: the settings to try, how much it may spend, and where it reports progress.</summary>
public sealed class Trial
{
    private readonly List<IntermediateValue> _intermediate = [];
    private readonly Func<Trial, int, bool> _shouldPrune;

    internal Trial(int number, TrialParameters parameters, int budget, ulong seed, Func<Trial, int, bool> shouldPrune, CancellationToken cancellation)
    {
        (Number, Parameters, Budget, Seed, _shouldPrune, CancellationToken) = (number, parameters, budget, seed, shouldPrune, cancellation);
    }

    /// <summary>The trial's number in the search, from 0.</summary>
    public int Number { get; }

    /// <summary>The settings to try.</summary>
    public TrialParameters Parameters { get; }

    /// <summary>How much the trial may spend, in the objective's unit (epochs or training rows); halving gives early rungs less.</summary>
    public int Budget { get; }

    /// <summary>A seed for the objective's own randomness (initial weights, shuffling), fixed by the search's seed and the trial's number.</summary>
    public ulong Seed { get; }

    /// <summary>Set when the search is asked to stop; a long objective may give up, and the trial then runs again when the search resumes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The values reported so far, in order.</summary>
    public IReadOnlyList<IntermediateValue> IntermediateValues => _intermediate;

    /// <summary>
    /// Records <paramref name="value"/> at <paramref name="step"/> (steps increasing) and throws a
    /// <see cref="TrialPrunedException"/> when the search's pruner judges the trial hopeless; the
    /// search catches it, so an objective just lets it pass.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not finite, or the step is not after the last one reported.</exception>
    /// <exception cref="TrialPrunedException">The pruner stops the trial here.</exception>
    public void Report(int step, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"Trial {Number} reported {value} at step {step}; intermediate values must be finite numbers.", nameof(value));
        if (_intermediate.Count > 0 && step <= _intermediate[^1].Step)
            throw new ArgumentException($"Trial {Number} reported step {step} after step {_intermediate[^1].Step}; steps must increase.", nameof(step));
        _intermediate.Add(new IntermediateValue(step, value));
        if (_shouldPrune(this, step)) throw new TrialPrunedException(Number, step);
    }
}
