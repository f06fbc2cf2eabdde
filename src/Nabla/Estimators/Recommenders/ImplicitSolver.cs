namespace Nabla.Estimators;

/// <summary>How <see cref="ImplicitMatrixFactorization"/> fits its factors.</summary>
public enum ImplicitSolver
{
    /// <summary>
    /// Weighted alternating least squares (Hu, Koren and Volinsky, 2008): every (user, item) pair
    /// counts, an observed one with preference 1 and confidence 1 + α·r, an unobserved one with
    /// preference 0 and confidence 1; each half-step solves one side exactly, so the weighted loss never rises.
    /// </summary>
    Als,

    /// <summary>
    /// Bayesian personalised ranking (Rendle et al., 2009): stochastic gradient ascent on
    /// ln σ(x̂_ui − x̂_uj) over sampled triples of a user, an item it interacted with and one it did not.
    /// </summary>
    Bpr,
}
