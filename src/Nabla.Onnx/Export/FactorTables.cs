using Nabla.Estimators;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// A recommender's learnt tables as its graph reads them, one row per user or item in the model's order and one more, of zeros,
/// for an id not seen in training; and the score each prediction computes from them.
/// </summary>
/// <param name="UserBias">b_u per user row, or null when the score has no user bias (implicit feedback).</param>
/// <param name="ItemBias">b_i per item row, or null when the score has no item bias (implicit feedback by ALS).</param>
/// <param name="UserFactors">The users' factors, [users + 1, k].</param>
/// <param name="ItemFactors">The items' factors, [items + 1, k].</param>
/// <param name="Ratings">For explicit ratings, the global mean μ and the training ratings' range every prediction is clipped to; null for implicit feedback.</param>
internal sealed record FactorTables(Tensor? UserBias, Tensor? ItemBias, Tensor UserFactors, Tensor ItemFactors, (double Mean, double Min, double Max)? Ratings)
{
    /// <summary>The tables of <paramref name="recommender"/>.</summary>
    /// <exception cref="NotSupportedException">A recommender of another kind.</exception>
    public static FactorTables Of(IRecommender recommender) => recommender switch
    {
        MatrixFactorization model => new(
            Biases(model.UserIds, model.UserBias), Biases(model.ItemIds, model.ItemBias),
            Factors(model.UserIds, model.UserFactors, model.NFactors), Factors(model.ItemIds, model.ItemFactors, model.NFactors),
            (model.GlobalMean, model.MinRating, model.MaxRating)),
        ImplicitMatrixFactorization model => new(
            null, model.Solver == ImplicitSolver.Bpr ? Biases(model.ItemIds, model.ItemBias) : null,
            Factors(model.UserIds, model.UserFactors, model.NFactors), Factors(model.ItemIds, model.ItemFactors, model.NFactors), null),
        _ => throw new NotSupportedException($"OnnxExport: a {recommender.GetType().Name} has no ONNX form in this version."),
    };

    /// <summary>
    /// The score of each (user row, item row) pair, [N] in the graph's precision: μ + b_u + b_i + p_u·q_i clipped to the ratings' range, in Nabla's order
    /// of additions, or x_u·y_i (+ b_i).
    /// </summary>
    public string Score(OnnxGraphBuilder graph, string users, string items)
    {
        var userFactors = graph.Node("Gather", [graph.Weight("user_factors", UserFactors), users], "user_factor_rows", [Int("axis", 0)]);
        var itemFactors = graph.Node("Gather", [graph.Weight("item_factors", ItemFactors), items], "item_factor_rows", [Int("axis", 0)]);
        var dot = graph.Node("ReduceSum", [graph.Node("Mul", [userFactors, itemFactors], "factor_products"), graph.Int64s("factor_axis", 1)], "dot", [Int("keepdims", 0)]);
        string? sum = Ratings is { } ratings ? graph.Scalar("global_mean", ratings.Mean) : null;
        if (UserBias is not null) sum = Added(graph, sum, graph.Node("Gather", [graph.Weight("user_bias", UserBias), users], "user_bias_rows", [Int("axis", 0)]));
        if (ItemBias is not null) sum = Added(graph, sum, graph.Node("Gather", [graph.Weight("item_bias", ItemBias), items], "item_bias_rows", [Int("axis", 0)]));
        var score = Added(graph, sum, dot);
        if (Ratings is not { } range) return score;
        return graph.Node("Clip", [score, graph.Scalar("min_rating", range.Min), graph.Scalar("max_rating", range.Max)], "clipped_score");
    }

    private static string Added(OnnxGraphBuilder graph, string? sum, string term) => sum is null ? term : graph.Node("Add", [sum, term], "score_sum");

    /// <summary>Each id's bias, [ids + 1], the last 0.</summary>
    private static Tensor Biases(IReadOnlyList<int> ids, Func<int, double> bias) => Tensor.FromArray([.. ids.Select(bias), 0.0]);

    /// <summary>Each id's factors, [ids + 1, k], the last row zeros.</summary>
    private static Tensor Factors(IReadOnlyList<int> ids, Func<int, double[]> factors, int k)
    {
        var table = new double[(ids.Count + 1) * k];
        for (int row = 0; row < ids.Count; row++) factors(ids[row]).CopyTo(table, row * k);
        return Tensor.FromArray(table, ids.Count + 1, k);
    }
}
