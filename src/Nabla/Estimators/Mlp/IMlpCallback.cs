namespace Nabla.Estimators;

/// <summary>
/// Called by <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> after every epoch of a
/// stochastic (SGD or Adam) fit: to log, plot, checkpoint or stop training on a rule of your own.
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
}
