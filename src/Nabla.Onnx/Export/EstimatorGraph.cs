using Nabla.Estimators;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The graph part of a fitted estimator, as it predicts in Nabla: the linear models' X·Wᵀ + b with each
/// one's link to probabilities (logistic: softmax of [0, z] or of the scores; SGD: one-vs-rest logistic or
/// modified-Huber scores, normalised; SVM: none) and class (z &gt; 0, or the largest score), and the MLP
/// estimators' layers with their output activation.
/// </summary>
internal static class EstimatorGraph
{
    /// <summary>Adds the estimator's nodes after <paramref name="features"/> ([N, F] Float).</summary>
    /// <exception cref="NotSupportedException">An estimator of another kind.</exception>
    public static ModelOutputs Build(OnnxGraphBuilder graph, object estimator, string features) => estimator switch
    {
        LinearRegression model => Regressor(graph, features, model.Coef, model.Intercept, "linear_regression"),
        Ridge model => Regressor(graph, features, model.Coef, model.Intercept, "ridge"),
        SgdRegressor model => Regressor(graph, features, model.Coef, model.Intercept, "sgd_regressor"),
        LogisticRegression model => Classifier(graph, features, model.Coef, model.Intercept, "logistic_regression", Link.Softmax),
        SgdClassifier model => Classifier(graph, features, model.Coef, model.Intercept, "sgd_classifier", model.Loss switch
        {
            SgdClassifierLoss.LogLoss => Link.OneVsRestLogistic,
            SgdClassifierLoss.ModifiedHuber => Link.OneVsRestModifiedHuber,
            _ => Link.None,
        }),
        LinearSvc model => Classifier(graph, features, model.Coef, model.Intercept, "linear_svc", Link.None),
        MlpClassifier model => Mlp(graph, features, model.Coefs, model.Intercepts, model.Options.Activation, model.OutActivation, classifier: true),
        MlpRegressor model => Mlp(graph, features, model.Coefs, model.Intercepts, model.Options.Activation, MlpOutputActivation.Identity, classifier: false),
        _ => throw new NotSupportedException($"OnnxExport: a {estimator.GetType().Name} has no ONNX form in this version."),
    };

    /// <summary>How a linear classifier's scores become probabilities.</summary>
    private enum Link
    {
        None,
        Softmax,
        OneVsRestLogistic,
        OneVsRestModifiedHuber,
    }

    /// <summary>X·Wᵀ + b, [N, rows of W]; a weight vector is one row.</summary>
    private static string Linear(OnnxGraphBuilder graph, string features, Tensor coef, Tensor intercept, string name)
    {
        var weight = coef.Rank == 1 ? coef.Reshape(1, coef.Shape[0]) : coef;
        var bias = intercept.Rank == 0 ? intercept.Reshape(1) : intercept;
        return graph.Node("Gemm", [features, graph.Weight($"{name}.coef", weight), graph.Weight($"{name}.intercept", bias)], name, [Int("transB", 1)]);
    }

    private static ModelOutputs Regressor(OnnxGraphBuilder graph, string features, Tensor coef, Tensor intercept, string name) =>
        new(Linear(graph, features, coef, intercept, name), Rows(coef), null, null);

    /// <summary>The rows of a weight matrix, 1 for a vector: the scores a linear model gives a sample.</summary>
    private static int Rows(Tensor coef) => coef.Rank == 1 ? 1 : coef.Shape[0];

    private static ModelOutputs Classifier(OnnxGraphBuilder graph, string features, Tensor coef, Tensor intercept, string name, Link link)
    {
        var scores = Linear(graph, features, coef, intercept, name);
        bool binary = coef.Rank == 1 || coef.Shape[0] == 1;
        var classIndex = binary
            ? graph.Node("Reshape", [Cast(graph, graph.Node("Greater", [scores, graph.Scalar("zero", 0)], "positive"), TensorProto.Types.DataType.Int64, "class_index_column"), graph.Int64s("rows", -1)], "class_index")
            : graph.Node("ArgMax", [scores], "class_index", [Int("axis", 1), Int("keepdims", 0)]);
        string? probabilities = link switch
        {
            Link.None => null,
            // [1 − σ(z), σ(z)] is the softmax of [0, z].
            Link.Softmax when binary => graph.Node("Softmax", [graph.Node("Concat", [graph.Node("Sub", [scores, scores], "zeros"), scores], "pair", [Int("axis", 1)])], "probabilities", [Int("axis", 1)]),
            Link.Softmax => graph.Node("Softmax", [scores], "probabilities", [Int("axis", 1)]),
            _ => OneVsRest(graph, scores, binary, link),
        };
        return new ModelOutputs(scores, Rows(coef), probabilities, classIndex);
    }

    /// <summary>
    /// SGD's one-vs-rest probabilities: each score through σ (log loss) or (clip(z, −1, 1) + 1) / 2 (modified Huber); for two
    /// classes [1 − p, p], for more each row divided by its sum, or 1 / K everywhere when the sum is 0, as scikit-learn.
    /// </summary>
    private static string OneVsRest(OnnxGraphBuilder graph, string scores, bool binary, Link link)
    {
        var p = link == Link.OneVsRestLogistic
            ? graph.Node("Sigmoid", [scores], "class_probability")
            : graph.Node("Mul", [graph.Node("Add", [graph.Node("Clip", [scores, graph.Scalar("minus_one", -1), graph.Scalar("one", 1)], "clipped"), graph.Scalar("one", 1)], "shifted"), graph.Scalar("half", 0.5)], "class_probability");
        if (binary) return Pair(graph, p);
        var sum = graph.Node("ReduceSum", [p, graph.Int64s("class_axis", 1)], "probability_sum", [Int("keepdims", 1)]);
        var isZero = graph.Node("Equal", [sum, graph.Scalar("zero", 0)], "probability_sum_is_zero");
        var normalised = graph.Node("Div", [p, graph.Node("Where", [isZero, graph.Scalar("one", 1), sum], "divisor")], "normalised");
        var count = graph.Node("Cast", [graph.Node("Shape", [scores], "score_shape", [Int("start", 1)])], "class_count", [Int("to", (long)graph.PrecisionType)]);
        var even = graph.Node("Div", [graph.Scalar("one", 1), count], "even_probability");
        return graph.Node("Where", [isZero, graph.Node("Add", [graph.Node("Sub", [p, p], "zeros"), even], "even"), normalised], "probabilities");
    }

    /// <summary>
    /// An MLP estimator: hidden layers X·W + b through the activation, then the output layer through identity, softmax or the
    /// logistic function (a binary classifier's one unit p becomes [1 − p, p]); the class is the largest output.
    /// </summary>
    private static ModelOutputs Mlp(OnnxGraphBuilder graph, string features, IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts,
        Nabla.NN.Activation activation, MlpOutputActivation output, bool classifier)
    {
        var value = features;
        for (int layer = 0; layer < coefs.Count; layer++)
        {
            // scikit-learn's coefs_ are (inputs, outputs): Gemm without transposing.
            value = graph.Node("Gemm", [value, graph.Weight($"mlp{layer}.coef", coefs[layer]), graph.Weight($"mlp{layer}.intercept", intercepts[layer])], $"mlp{layer}");
            if (layer < coefs.Count - 1) value = NetworkLayers.Activate(graph, value, activation, null, $"mlp{layer}.{activation.ToString().ToLowerInvariant()}");
        }
        int width = coefs[^1].Shape[1];
        if (!classifier) return new ModelOutputs(value, width, null, null);
        string probabilities = output switch
        {
            MlpOutputActivation.Softmax => graph.Node("Softmax", [value], "probabilities", [Int("axis", 1)]),
            _ when coefs[^1].Shape[1] == 1 => Pair(graph, graph.Node("Sigmoid", [value], "class_probability")),
            _ => graph.Node("Sigmoid", [value], "probabilities"),
        };
        return new ModelOutputs(probabilities, width == 1 ? 2 : width, probabilities, graph.Node("ArgMax", [probabilities], "class_index", [Int("axis", 1), Int("keepdims", 0)]));
    }

    /// <summary>[1 − p, p] from a binary model's [N, 1] probabilities of its second class.</summary>
    private static string Pair(OnnxGraphBuilder graph, string p) =>
        graph.Node("Concat", [graph.Node("Sub", [graph.Scalar("one", 1), p], "first_probability"), p], "probabilities", [Int("axis", 1)]);

    private static string Cast(OnnxGraphBuilder graph, string value, TensorProto.Types.DataType type, string hint) =>
        graph.Node("Cast", [value], hint, [Int("to", (long)type)]);
}
