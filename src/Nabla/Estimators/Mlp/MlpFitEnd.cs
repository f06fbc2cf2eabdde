namespace Nabla.Estimators;

/// <summary>How a stochastic MLP fit ended, given to <see cref="IMlpCallback.OnFitEnd"/>.</summary>
/// <param name="StopReason">
/// Why a rule stopped the fit before its last epoch, in the estimator's words: the loss (or, with early stopping, the
/// validation metric) did not improve for <c>nIterNoChange</c> epochs, the loss diverged, or the callback asked to stop;
/// null when it ran every epoch it was given, or threw.
/// </param>
/// <param name="Diverged">Whether it stopped because its loss diverged (the estimator's <c>Diverged</c>).</param>
/// <param name="Error">The exception that ends the fit, which <c>Fit</c> throws next; null when the fit returns.</param>
public sealed record MlpFitEnd(string? StopReason, bool Diverged, Exception? Error);
