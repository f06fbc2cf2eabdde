namespace Nabla.Cli;

/// <summary>
/// The settings <c>nabla train --model mf</c> uses when the options leave them out, per solver: those of the
/// libraries users know where they did well (Surprise's SVD for sgd, the <c>implicit</c> library's BPR), otherwise
/// the best of a few tried on the shipped example ratings (examples/data/ratings.csv, 20 % held out, seed 0).
/// </summary>
internal static class RecommenderDefaults
{
    /// <summary>Latent factors per user and item.</summary>
    public const int Factors = 32;

    /// <summary>
    /// α of implicit ALS: an interaction of strength r weighs 1 + r against the unobserved pairs' 1, the <c>implicit</c> library's
    /// default; Hu, Koren and Volinsky's 40 suits strengths such as minutes watched, and on the example's single interactions
    /// gave NDCG@10 0.42 at a penalty of 50 (popularity: 0.42), where 1 gives 0.47 at a penalty of 10.
    /// </summary>
    public const double Confidence = 1;

    /// <summary>Ratings per Adam step.</summary>
    public const int BatchSize = 1024;

    /// <summary>Passes (alternations for als) over the training interactions.</summary>
    public static int Epochs(RecommenderSolver solver) => solver switch
    {
        RecommenderSolver.Als => 15,
        RecommenderSolver.Bpr => 100,
        _ => 20,
    };

    /// <summary>The step size of the gradient solvers (als has none): Surprise's 0.005 for sgd, 0.01 for adam and bpr (the <c>implicit</c> library's).</summary>
    public static double LearningRate(RecommenderSolver solver) => solver == RecommenderSolver.Sgd ? 0.005 : 0.01;

    /// <summary>
    /// The L2 penalty on factors and biases (<c>--alpha</c>): per rating for the explicit solvers (0.05 for als and adam, the
    /// best held-out RMSE on the example, 0.59; Surprise's 0.02 for sgd), over all the factors for implicit ALS (10), and
    /// the <c>implicit</c> library's 0.01 for bpr.
    /// </summary>
    public static double Alpha(RecommenderSolver solver, bool implicitFeedback) => solver switch
    {
        RecommenderSolver.Bpr => 0.01,
        RecommenderSolver.Als when implicitFeedback => 10,
        RecommenderSolver.Sgd => 0.02,
        _ => 0.05,
    };
}
