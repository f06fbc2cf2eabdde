namespace Nabla.Estimators;

/// <summary>
/// Called by <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> during a stochastic (SGD or Adam) fit: after
/// every epoch, to log, plot, checkpoint or stop training on a rule of your own; and, when implemented, when each fit
/// begins and ends (as <see cref="MlpRunLog"/> does, to write the settings and how the fit ended). L-BFGS runs no
/// epochs and calls none of them.
/// </summary>
/// <example>
/// <code>
/// sealed class StopBelow(double target) : IMlpCallback
/// {
///     public bool OnEpochEnd(MlpEpoch epoch) => epoch.Loss &gt; target;
/// }
/// var model = new MlpRegressor(callback: new StopBelow(0.01)).Fit(X, y);
/// </code>
/// </example>
public interface IMlpCallback
{
    /// <summary>After an epoch's stopping rules ran; return false to stop training now.</summary>
    bool OnEpochEnd(MlpEpoch epoch);

    /// <summary>
    /// Before each stochastic fit touches the network: each call of <c>Fit</c>, and each of <c>PartialFit</c> (a fit of
    /// one epoch). An exception thrown here leaves the fit, which has not begun. Does nothing unless implemented.
    /// </summary>
    /// <param name="start">The estimator and its settings.</param>
    void OnFitBegin(MlpFitStart start)
    {
    }

    /// <summary>
    /// Once for each fit that <see cref="OnFitBegin"/> began, however it ends: after its last epoch, after a stopping rule
    /// ended it, or with the exception that it is about to throw. Does nothing unless implemented.
    /// </summary>
    /// <param name="end">How the fit ended.</param>
    void OnFitEnd(MlpFitEnd end)
    {
    }
}
