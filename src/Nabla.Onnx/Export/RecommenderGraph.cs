using Nabla.Data;
using Nabla.Estimators;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The graph of a recommender, <see cref="MatrixFactorization"/> or <see cref="ImplicitMatrixFactorization"/>, with its
/// <see cref="RatingsPreprocessor"/>: one input per id column, named after it, holding the ids as the data writes them — String
/// [N, 1] for a column of labels, Int64 [N, 1] for a column of whole numbers — and one output, Float [N], named after the rating
/// column ("score" without one): the score <c>nabla predict</c> gives each (user, item) pair.
/// </summary>
/// <remarks>
/// <para>
/// An ai.onnx.ml LabelEncoder maps each id to the model's row for it, or to one row past the known ones for an id not seen in
/// training, whose biases and factors are zero: so explicit ratings are μ + b_u + b_i + p_u·q_i clipped to the training ratings'
/// range, an unknown user's μ + b_i and an unknown item's μ + b_u, both unknown μ (all clipped), as Nabla predicts them; implicit
/// scores are x_u·y_i (+ b_i with BPR), an unknown user's b_i and an unknown item's 0.
/// </para>
/// <para>
/// A row Nabla refuses gets NaN: a missing label (empty, NA, N/A, NaN or null in any case), or a number id outside Int32's range. Without preprocessing the graph reads
/// "features", Int64 [N, 2], each row a user id and an item id.
/// </para>
/// </remarks>
internal static class RecommenderGraph
{
    /// <summary>Adds the inputs, the lookups, the score and its output; returns the output's name.</summary>
    /// <exception cref="NotSupportedException">The recommender is of another kind, or is prepared by another preprocessor than ratings.</exception>
    public static IReadOnlyList<string> Build(OnnxGraphBuilder graph, IRecommender recommender, Preprocessor? preprocessor, long? batch)
    {
        var tables = FactorTables.Of(recommender);
        var ratings = preprocessor switch
        {
            RatingsPreprocessor given => given,
            null => null,
            _ => throw new NotSupportedException($"OnnxExport: a recommender prepared by the {preprocessor.Kind} preprocessor has no ONNX form in this version; it reads ratings."),
        };
        string[] inputs = ratings is null
            ? [graph.Input("features", TensorProto.Types.DataType.Int64, batch, 2)]
            : [IdInput(graph, ratings.UserColumn, ratings.Users, batch), IdInput(graph, ratings.ItemColumn, ratings.Items, batch)];
        // Reserved before any inner value can take the name.
        string target = graph.Unique(ratings?.Target ?? "score");
        string[] ids = ratings is null ? graph.Nodes("Split", [inputs[0]], ["user_id", "item_id"], [Int("axis", 1)]) : inputs;
        IdMap[] maps = ratings is null ? [IdMap.Numbers, IdMap.Numbers] : [ratings.Users, ratings.Items];
        var users = Rows(graph, ids[0], maps[0], recommender.UserIds, "user");
        var items = Rows(graph, ids[1], maps[1], recommender.ItemIds, "item");
        var refused = graph.Node("Or", [Refused(graph, ids[0], maps[0], "user"), Refused(graph, ids[1], maps[1], "item")], "refused");
        var refusedRows = graph.Node("Reshape", [refused, graph.Int64s("rows", -1)], "refused_rows");
        // Nabla scores in Float64, and so does the graph: the score is rounded to Float32 once, as the output.
        graph.Precision = DType.Float64;
        var score = graph.Node("Cast", [tables.Score(graph, users, items)], "score_float", [Int("to", (long)TensorProto.Types.DataType.Float)]);
        return RegressionOutputs.Add(graph, score, 1, null, refusedRows, target, batch);
    }

    /// <summary>An id column's input: String [N, 1] for labels, Int64 [N, 1] for whole numbers.</summary>
    private static string IdInput(OnnxGraphBuilder graph, string column, IdMap map, long? batch) =>
        graph.Input(column, map.IsLabels ? TensorProto.Types.DataType.String : TensorProto.Types.DataType.Int64, batch, 1);

    /// <summary>Bool [N, 1], true where Nabla refuses the id: a missing label (empty, NA, N/A, NaN or null, as the CSV reader takes them), or a number outside Int32.</summary>
    private static string Refused(OnnxGraphBuilder graph, string ids, IdMap map, string what) =>
        map.IsLabels ? MissingCells.Of(graph, ids, what) : OutsideInt32(graph, ids, what);

    /// <summary>True where an Int64 id does not fit in Int32, as Nabla's ids must.</summary>
    private static string OutsideInt32(OnnxGraphBuilder graph, string ids, string name)
    {
        var below = graph.Node("Less", [ids, graph.Int64s("int32_min", int.MinValue)], $"{name}_below_int32");
        var above = graph.Node("Greater", [ids, graph.Int64s("int32_max", int.MaxValue)], $"{name}_above_int32");
        return graph.Node("Or", [below, above], $"{name}_outside_int32");
    }

    /// <summary>
    /// Each id's row in the model's tables, Int64 [N]: the position of its id in <paramref name="modelIds"/>, or one past the last for
    /// an id the model has not seen (a label's id is its position in the map's labels).
    /// </summary>
    private static string Rows(OnnxGraphBuilder graph, string ids, IdMap map, IReadOnlyList<int> modelIds, string what)
    {
        // With labels, a model id that is no label's position is left out: no cell can name it.
        int[] rows = [.. Enumerable.Range(0, modelIds.Count).Where(row => !map.IsLabels || (uint)modelIds[row] < (uint)map.Labels.Count)];
        var keys = map.IsLabels
            ? Strings("keys_strings", rows.Select(row => map.Labels[modelIds[row]]))
            : Ints("keys_int64s", [.. rows.Select(row => (long)modelIds[row])]);
        var column = graph.Node("LabelEncoder", [ids], $"{what}_row_column",
            [keys, Ints("values_int64s", [.. rows.Select(row => (long)row)]), Int("default_int64", modelIds.Count)], OnnxDomains.MachineLearning);
        return graph.Node("Reshape", [column, graph.Int64s("rows", -1)], $"{what}_row");
    }
}
