namespace Nabla.Cli;

/// <summary>How <c>nabla train --model mf</c> fits the factors (<c>--solver</c>).</summary>
internal enum RecommenderSolver
{
    /// <summary>Alternating least squares: explicit ratings, or weighted ALS on implicit feedback (Hu, Koren and Volinsky).</summary>
    Als,

    /// <summary>Stochastic gradient descent, one rating at a time (Funk); explicit ratings only.</summary>
    Sgd,

    /// <summary>Adam on mini-batches of ratings; explicit ratings only.</summary>
    Adam,

    /// <summary>Bayesian personalised ranking by stochastic gradient descent; implicit feedback only.</summary>
    Bpr,
}
