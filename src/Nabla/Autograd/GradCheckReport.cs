using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// The outcome of a <see cref="GradCheck"/> or <see cref="GradGradCheck"/>: whether every check passed,
/// each problem found, the worst Jacobian element, and a readable summary.
/// </summary>
public sealed class GradCheckReport
{
    internal GradCheckReport(string check, IReadOnlyList<GradCheckFailure> failures, double maxAbsoluteError, int checkedElements, GradCheckTolerances tolerances)
    {
        Check = check;
        Failures = failures;
        MaxAbsoluteError = maxAbsoluteError;
        CheckedElements = checkedElements;
        Tolerances = tolerances;
        Worst = failures
            .Where(f => f.Kind == GradCheckFailureKind.JacobianMismatch)
            .OrderByDescending(f => double.IsNaN(f.AbsoluteError) ? double.PositiveInfinity : f.AbsoluteError)
            .FirstOrDefault() ?? failures.FirstOrDefault();
        Message = Describe();
    }

    /// <summary>Whether every check passed.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>The check that made this report: "GradCheck" or "GradGradCheck".</summary>
    public string Check { get; }

    /// <summary>Every problem found: at most one per check, input and output, each naming its worst element.</summary>
    public IReadOnlyList<GradCheckFailure> Failures { get; }

    /// <summary>
    /// The failure to look at first: the Jacobian mismatch with the largest absolute error, or the first
    /// failure when no Jacobian mismatched; null when the check passed.
    /// </summary>
    public GradCheckFailure? Worst { get; }

    /// <summary>The largest |analytic − numeric| over every Jacobian element compared (NaN if one was NaN).</summary>
    public double MaxAbsoluteError { get; }

    /// <summary>How many Jacobian elements were compared.</summary>
    public int CheckedElements { get; }

    /// <summary>The finite-difference step and tolerances the check used.</summary>
    public GradCheckTolerances Tolerances { get; }

    /// <summary>A readable summary: passed, or each failure on its own line, the worst first.</summary>
    public string Message { get; }

    /// <summary>Throws when a check failed.</summary>
    /// <exception cref="InvalidOperationException">A check failed; the message is <see cref="Message"/>.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new InvalidOperationException(Message);
    }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    private string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        string settings = string.Format(c, "eps {0:G3}, atol {1:G3}, rtol {2:G3}", Tolerances.Eps, Tolerances.Atol, Tolerances.Rtol);
        if (Passed)
            return string.Format(c, "{0} passed: {1} Jacobian elements agree (largest |analytic − numeric| {2:G3}; {3}).", Check, CheckedElements, MaxAbsoluteError, settings);
        var text = new StringBuilder();
        text.Append(c, $"{Check} failed with {Failures.Count} problem{(Failures.Count == 1 ? "" : "s")} ({settings}).");
        text.Append("\n  ").Append(Worst!.Message);
        foreach (var failure in Failures)
            if (!ReferenceEquals(failure, Worst)) text.Append("\n  ").Append(failure.Message);
        return text.ToString();
    }
}
