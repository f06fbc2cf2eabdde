namespace Nabla.Cli;

/// <summary>What <c>nabla train --model mf</c> was asked for beyond the common options, checked.</summary>
/// <param name="UserColumn">The column of user ids (<c>--user</c>).</param>
/// <param name="ItemColumn">The column of item ids (<c>--item</c>).</param>
/// <param name="RatingColumn">The column of ratings, or for implicit feedback of strengths (<c>--rating</c>); null for implicit feedback where each row counts once.</param>
/// <param name="Implicit">Whether the rows are interactions (clicks, plays, purchases) rather than ratings (<c>--implicit</c>).</param>
/// <param name="Factors">The latent factors per user and item (<c>--factors</c>).</param>
/// <param name="Solver">How the factors are fitted (<c>--solver</c>).</param>
/// <param name="Confidence">α of implicit ALS, the confidence 1 + α·r given an interaction of strength r (<c>--confidence</c>).</param>
/// <param name="Split">How the test interactions are held out (<c>--split</c>).</param>
/// <param name="TimestampColumn">The column of times, for <c>--split time</c> (<c>--timestamp</c>).</param>
/// <param name="LearningRate">The step size of sgd, adam and bpr; unused by als.</param>
/// <param name="BatchSize">The ratings per step of adam; unused by the others.</param>
internal sealed record RecommenderSettings(string UserColumn, string ItemColumn, string? RatingColumn, bool Implicit, int Factors, RecommenderSolver Solver,
    double Confidence, RecommenderSplit Split, string? TimestampColumn, double LearningRate, int BatchSize)
{
    /// <summary>The held-out ranking is scored on lists of this many items: precision@10, NDCG@10.</summary>
    public const int TopK = 10;
}
