namespace Nabla.Estimators;

/// <summary>How <see cref="MatrixFactorization"/> fits its factors.</summary>
public enum MatrixFactorizationSolver
{
    /// <summary>
    /// Stochastic gradient descent over the ratings in a seeded random order each epoch (Funk's
    /// method, as in the Netflix Prize and the Surprise library's SVD).
    /// </summary>
    Sgd,

    /// <summary>
    /// Alternating least squares: each user's factors and bias solved exactly given the items', then
    /// each item's given the users'; every half-step lowers the regularised loss.
    /// </summary>
    Als,

    /// <summary>
    /// Adam over mini-batches of <see cref="MatrixFactorization.BatchSize"/> ratings in a seeded random
    /// order each epoch, on the batch's mean loss, as <c>torch.optim.Adam</c> trains embedding tables
    /// (every row's moments decay at every step, rows outside the batch with a zero gradient).
    /// </summary>
    Adam,
}
