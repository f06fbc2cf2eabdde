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
/// A row Nabla refuses gets NaN: an empty label, or a number id outside Int32's range. Without preprocessing the graph reads
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
        string users, items, refused;
        switch (preprocessor)
        {
            case RatingsPreprocessor ratings:
                var userColumn = IdColumn(graph, ratings.UserColumn, ratings.Users, batch);
                var itemColumn = IdColumn(graph, ratings.ItemColumn, ratings.Items, batch);
                users = Rows(graph, userColumn.Ids, ratings.Users, recommender.UserIds, "user");
                items = Rows(graph, itemColumn.Ids, ratings.Items, recommender.ItemIds, "item");
                refused = graph.Node("Or", [userColumn.Refused, itemColumn.Refused], "refused");
                break;
            case null:
                var features = graph.Input("features", TensorProto.Types.DataType.Int64, batch, 2);
                var pair = graph.Nodes("Split", [features], ["user_id", "item_id"], [Int("axis", 1)]);
                users = Rows(graph, pair[0], IdMap.Numbers, recommender.UserIds, "user");
                items = Rows(graph, pair[1], IdMap.Numbers, recommender.ItemIds, "item");
                refused = graph.Node("Or", [OutsideInt32(graph, pair[0], "user"), OutsideInt32(graph, pair[1], "item")], "refused");
                break;
            default:
                throw new NotSupportedException($"OnnxExport: a recommender prepared by the {preprocessor.Kind} preprocessor has no ONNX form in this version; it reads ratings.");
        }
        string target = graph.Unique((preprocessor as RatingsPreprocessor)?.Target ?? "score");
        var score = tables.Score(graph, users, items);
        return RegressionOutputs.Add(graph, score, 1, null, graph.Node("Reshape", [refused, graph.Int64s("rows", -1)], "refused_rows"), target, batch);
    }

    /// <summary>An id column's input, and Bool [N, 1], true where Nabla refuses the id.</summary>
    private static (string Ids, string Refused) IdColumn(OnnxGraphBuilder graph, string column, IdMap map, long? batch)
    {
        if (!map.IsLabels)
        {
            var numbers = graph.Input(column, TensorProto.Types.DataType.Int64, batch, 1);
            return (numbers, OutsideInt32(graph, numbers, column));
        }
        var labels = graph.Input(column, TensorProto.Types.DataType.String, batch, 1);
        // Strings compare in ONNX only from opset 19: the empty label is the key of an ai.onnx.ml table.
        var isEmpty = graph.Node("LabelEncoder", [labels], $"{column}:is_empty",
            [Strings("keys_strings", [""]), Ints("values_int64s", 1), Int("default_int64", 0)], OnnxDomains.MachineLearning);
        return (labels, graph.Node("Cast", [isEmpty], $"{column}:refused", [Int("to", (long)TensorProto.Types.DataType.Bool)]));
    }

    /// <summary>True where an Int64 id does not fit in Int32, as Nabla's ids must.</summary>
    private static string OutsideInt32(OnnxGraphBuilder graph, string ids, string name)
    {
        var below = graph.Node("Less", [ids, graph.Int64s("int32_min", int.MinValue)], $"{name}:below_int32");
        var above = graph.Node("Greater", [ids, graph.Int64s("int32_max", int.MaxValue)], $"{name}:above_int32");
        return graph.Node("Or", [below, above], $"{name}:outside_int32");
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
