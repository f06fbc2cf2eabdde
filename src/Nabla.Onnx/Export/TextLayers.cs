using Nabla.NN;
using Nabla.Onnx.Protobuf;
using Nabla.Text;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The layers that read token ids, Int64 [N, L] padded with 0 after each text, as the ONNX operators that compute them in
/// inference: a <see cref="SequenceClassifier"/> (Gather of the token vectors, the recurrent layers over each text's own steps,
/// pooling over those steps, Gemm), an <see cref="EmbeddingBag"/> (the mean of a text's token vectors, padding left out) and a
/// <see cref="TfidfLinear"/> (TfIdfVectorizer's counts weighed as Nabla weighs them, then MatMul).
/// </summary>
/// <remarks>
/// An id outside the vocabulary fails the run in a Gather node, as Nabla refuses it: a negative id, which Gather would count from
/// the end of the table, is first moved past its end.
/// </remarks>
internal static class TextLayers
{
    /// <summary>
    /// A recurrent text classifier's class scores, [N, classes]. Each text's length is the step after its last non-zero id, at
    /// least 1 (as <see cref="SequenceClassifier.LengthsOf"/>); "last" pooling takes the last layer's final states (forward, then
    /// reverse), "mean" and "max" pool the last layer's outputs over each text's valid steps only.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="model">The classifier.</param>
    /// <param name="ids">The token ids, Int64 [N, <paramref name="steps"/>].</param>
    /// <param name="steps">L, the length every text is padded to.</param>
    /// <param name="name">The name the layer's values start with.</param>
    public static string SequenceClassifier(OnnxGraphBuilder graph, SequenceClassifier model, string ids, int steps, string name)
    {
        var lengths = Lengths(graph, ids, steps, name);
        var vectors = graph.Node("Gather", [graph.Weight($"{name}.embedding.weight", model.Embedding.Weight), InVocabulary(graph, ids, model.Embedding.NumEmbeddings, name)],
            $"{name}.embedded", [Int("axis", 0)]);
        var timeFirst = graph.Node("Transpose", [vectors], $"{name}.embedded_time_first", [Ints("perm", 1, 0, 2)]);
        var sequenceLengths = graph.Node("Cast", [lengths], $"{name}.sequence_lens", [Int("to", (long)TensorProto.Types.DataType.Int32)]);
        bool last = model.Pooling == SequencePoolingMode.Last;
        var (outputs, finalStates) = RecurrentLayers.Build(graph, model.Recurrent, timeFirst, sequenceLengths, $"{name}.recurrent", withOutputs: !last);
        string pooled;
        if (last)
        {
            var byRow = graph.Node("Transpose", [finalStates], $"{name}.final_states_by_row", [Ints("perm", 1, 0, 2)]);
            pooled = graph.Node("Reshape", [byRow, graph.Int64s("rows_features", 0, -1)], $"{name}.pooled");
        }
        else pooled = Pooled(graph, graph.Node("Transpose", [outputs!], $"{name}.outputs_by_row", [Ints("perm", 1, 0, 2)]), lengths, steps, model.Pooling, name);
        // Inference: the dropout before the output layer is the identity.
        return NetworkLayers.Gemm(graph, pooled, model.Output.Weight, model.Output.Bias, $"{name}.output");
    }

    /// <summary>The mean of each text's token vectors, [N, dim]: id 0 left out of the sum and the count, a text of padding only zeros.</summary>
    /// <exception cref="NotSupportedException">The bag reduces otherwise than by the mean, or leaves out another id than 0.</exception>
    public static string EmbeddingBag(OnnxGraphBuilder graph, EmbeddingBag bag, string ids, string name)
    {
        if (bag.Mode != EmbeddingBagMode.Mean || bag.PaddingIndex != 0)
            throw new NotSupportedException($"OnnxExport: {name}, an EmbeddingBag of mode {bag.Mode} and padding index {bag.PaddingIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, has no ONNX form in this version (mode Mean with padding index 0 has).");
        var vectors = graph.Node("Gather", [graph.Weight($"{name}.weight", bag.Weight), InVocabulary(graph, ids, bag.NumEmbeddings, name)], $"{name}.vectors", [Int("axis", 0)]);
        var isToken = IsToken(graph, ids, graph.PrecisionType, name);
        var kept = graph.Node("Mul", [vectors, graph.Node("Unsqueeze", [isToken, graph.Int64s("axis_2", 2)], $"{name}.is_token_column")], $"{name}.kept");
        var sum = graph.Node("ReduceSum", [kept, graph.Int64s("axis_1", 1)], $"{name}.sum", [Int("keepdims", 0)]);
        var count = graph.Node("ReduceSum", [isToken, graph.Int64s("axis_1", 1)], $"{name}.count", [Int("keepdims", 1)]);
        // An empty text's sum is zero; dividing it by 1 keeps it so, as Nabla.
        return graph.Node("Div", [sum, graph.Node("Max", [count, graph.Scalar("one", 1)], $"{name}.divisor")], name);
    }

    /// <summary>
    /// A linear model over TF-IDF rows, [N, outputs]: TfIdfVectorizer counts each id from 2 up (ids 0 and 1 carry no weight), each count
    /// c becomes c or 1 + ln c, times the id's idf, each row is divided by its Euclidean length (a row of zeros stays), then
    /// MatMul by the weights ([ids, outputs]) and the bias. Memory: one Float [N, ids] row of counts per text, never [N, L, ids].
    /// </summary>
    public static string TfidfLinear(OnnxGraphBuilder graph, TfidfLinear model, string ids, string name)
    {
        int terms = model.VocabularySize - FirstTerm;
        // TfIdfVectorizer does not count an id outside its pool, where Nabla refuses it: the ids go through a Gather first.
        var vocabularyIds = graph.Int64s($"{name}.vocabulary_ids", [.. Enumerable.Range(0, model.VocabularySize).Select(id => (long)id)]);
        var checkedIds = graph.Node("Gather", [vocabularyIds, InVocabulary(graph, ids, model.VocabularySize, name)], $"{name}.checked_ids", [Int("axis", 0)]);
        var counts = graph.Node("TfIdfVectorizer", [checkedIds], $"{name}.counts",
        [
            String("mode", "TF"), Int("min_gram_length", 1), Int("max_gram_length", 1), Int("max_skip_count", 0),
            Ints("ngram_counts", 0), Ints("ngram_indexes", [.. Enumerable.Range(0, terms).Select(i => (long)i)]),
            Ints("pool_int64s", [.. Enumerable.Range(FirstTerm, terms).Select(id => (long)id)]),
        ]);
        // TfIdfVectorizer counts in Float32 whatever the model's type; a count is a small whole number, exact in either.
        if (graph.Precision != DType.Float32) counts = graph.Node("Cast", [counts], $"{name}.counts_in_model_precision", [Int("to", (long)graph.PrecisionType)]);
        var tf = counts;
        if (model.SublinearTf)
        {
            // ln 0 is −∞, but Where takes 0 there.
            var sublinear = graph.Node("Add", [graph.Node("Log", [counts], $"{name}.log_counts"), graph.Scalar("one", 1)], $"{name}.sublinear_counts");
            var counted = graph.Node("Greater", [counts, graph.Scalar("zero", 0)], $"{name}.counted");
            tf = graph.Node("Where", [counted, sublinear, graph.Scalar("zero", 0)], $"{name}.tf");
        }
        var weighed = graph.Node("Mul", [tf, graph.Weight($"{name}.idf", model.Idf.Slice(0, FirstTerm, terms))], $"{name}.tfidf");
        var length = graph.Node("Sqrt", [graph.Node("ReduceSumSquare", [weighed], $"{name}.squares", [Ints("axes", 1), Int("keepdims", 1)])], $"{name}.length");
        var isEmpty = graph.Node("Equal", [length, graph.Scalar("zero", 0)], $"{name}.is_empty");
        var unit = graph.Node("Div", [weighed, graph.Node("Where", [isEmpty, graph.Scalar("one", 1), length], $"{name}.divisor")], $"{name}.unit_tfidf");
        var product = graph.Node("MatMul", [unit, graph.Weight($"{name}.weight", model.Linear.Weight.Slice(0, FirstTerm, terms))], $"{name}.product");
        return model.Linear.Bias is null ? product : graph.Node("Add", [product, graph.Weight($"{name}.bias", model.Linear.Bias)], name);
    }

    /// <summary>The first id that is a term: 0 is the padding and 1 the unknown token.</summary>
    private const int FirstTerm = Vocabulary.UnknownId + 1;

    /// <summary>The ids with a negative one replaced by <paramref name="vocabularySize"/>, so that the Gather reading them fails on it as on any id past the table.</summary>
    private static string InVocabulary(OnnxGraphBuilder graph, string ids, int vocabularySize, string name)
    {
        var negative = graph.Node("Less", [ids, graph.Int64s("padding_id", 0)], $"{name}.negative_id");
        return graph.Node("Where", [negative, graph.Int64s($"{name}.vocabulary_size", vocabularySize), ids], $"{name}.ids");
    }

    /// <summary>1 where an id is not the padding 0, else 0, [N, L] of <paramref name="type"/>.</summary>
    private static string IsToken(OnnxGraphBuilder graph, string ids, TensorProto.Types.DataType type, string name)
    {
        var isPadding = graph.Node("Equal", [ids, graph.Int64s("padding_id", 0)], $"{name}.is_padding");
        return graph.Node("Cast", [graph.Node("Not", [isPadding], $"{name}.is_token_flag")], $"{name}.is_token", [Int("to", (long)type)]);
    }

    /// <summary>Each text's length, Int64 [N]: the step after its last non-zero id, at least 1.</summary>
    private static string Lengths(OnnxGraphBuilder graph, string ids, int steps, string name)
    {
        var isToken = IsToken(graph, ids, TensorProto.Types.DataType.Int64, name);
        var stepNumbers = graph.Int64s($"{name}.step_numbers", [.. Enumerable.Range(1, steps).Select(step => (long)step)]);
        var lastToken = graph.Node("ReduceMax", [graph.Node("Mul", [isToken, stepNumbers], $"{name}.token_steps")], $"{name}.last_token", [Ints("axes", 1), Int("keepdims", 0)]);
        return graph.Node("Max", [lastToken, graph.Int64s("one_step", 1)], $"{name}.lengths");
    }

    /// <summary>The mean or maximum of <paramref name="outputs"/>, [N, L, F], over each row's first lengths[n] steps: [N, F].</summary>
    private static string Pooled(OnnxGraphBuilder graph, string outputs, string lengths, int steps, SequencePoolingMode pooling, string name)
    {
        var stepIndices = graph.Int64s($"{name}.step_indices", [.. Enumerable.Range(0, steps).Select(step => (long)step)]);
        var valid = graph.Node("Less", [stepIndices, graph.Node("Unsqueeze", [lengths, graph.Int64s("axis_1", 1)], $"{name}.length_column")], $"{name}.valid_step");
        var validColumn = graph.Node("Unsqueeze", [valid, graph.Int64s("axis_2", 2)], $"{name}.valid_step_column");
        if (pooling == SequencePoolingMode.Max)
        {
            var masked = graph.Node("Where", [validColumn, outputs, graph.Scalar("minus_infinity", double.NegativeInfinity)], $"{name}.valid_outputs");
            return graph.Node("ReduceMax", [masked], $"{name}.pooled", [Ints("axes", 1), Int("keepdims", 0)]);
        }
        var kept = graph.Node("Where", [validColumn, outputs, graph.Scalar("zero", 0)], $"{name}.valid_outputs");
        var sum = graph.Node("ReduceSum", [kept, graph.Int64s("axis_1", 1)], $"{name}.sum", [Int("keepdims", 0)]);
        var count = graph.Node("Cast", [graph.Node("Unsqueeze", [lengths, graph.Int64s("axis_1", 1)], $"{name}.length_count")], $"{name}.count",
            [Int("to", (long)graph.PrecisionType)]);
        return graph.Node("Div", [sum, count], $"{name}.pooled");
    }
}
