using Nabla.Estimators;
using Nabla.Explain;
using Nabla.NN;
using Nabla.Text;

namespace Nabla.Models;

/// <summary>
/// A model file's raw outputs as a function of prepared rows built of differentiable tensor operations, in Float64, for
/// gradient-based attributions (<see cref="Explain.IntegratedGradients"/>, <see cref="Explain.Saliency"/>): a network's outputs
/// (a classifier's logits) from a Float64 copy of its weights in evaluation mode, or a linear estimator's decision function
/// X·Coefᵀ + Intercept (a regressor's prediction).
/// </summary>
/// <remarks>
/// A linear classifier of two classes scores them with one function z (positive favours the second class, as scikit-learn's
/// <c>decision_function</c>); here the second class's output is z and the first's −z, so each class has the output that
/// argues for it (for logistic regression, each class's log-odds).
/// </remarks>
public static class DifferentiableModel
{
    /// <summary>
    /// The outputs of <paramref name="model"/>, (rows, outputs) Float64, as a differentiable function of rows prepared as
    /// <see cref="ModelPipeline.ReadRows"/> gives them ([rows, ...sample shape], converted to Float64); null for a model whose
    /// outputs are not differentiable functions of its inputs: a text network (its inputs are token ids: see <see cref="TokensOf"/>), an MLP
    /// estimator or a recommender.
    /// </summary>
    public static Func<Tensor, Tensor>? Of(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Architecture is { } architecture) return architecture.ReadsTokenIds ? null : Network(architecture, model.Network!);
        return model.Estimator switch
        {
            LogisticRegression logistic => Linear(logistic.Coef, logistic.Intercept, classifier: true),
            LinearSvc svc => Linear(svc.Coef, svc.Intercept, classifier: true),
            SgdClassifier sgd => Linear(sgd.Coef, sgd.Intercept, classifier: true),
            LinearRegression regression => Linear(regression.Coef, regression.Intercept, classifier: false),
            Ridge ridge => Linear(ridge.Coef, ridge.Intercept, classifier: false),
            SgdRegressor sgd => Linear(sgd.Coef, sgd.Intercept, classifier: false),
            _ => null,
        };
    }

    /// <summary>
    /// Whether the function <see cref="Of"/> gives for <paramref name="model"/> is piecewise linear in the rows (a linear estimator, or a
    /// network of linear and convolution layers, ReLU, max pooling and batch normalization), so that integrated gradients can be exact
    /// (<see cref="IntegratedGradients.PiecewiseLinear"/>); false for a smooth network (tanh, sigmoid, GELU) and for a model <see cref="Of"/> has no function for.
    /// </summary>
    public static bool IsPiecewiseLinear(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Architecture is { } architecture) return !architecture.ReadsTokenIds && PiecewiseLinearPath.Holds(model.Network!);
        return Of(model) is not null;
    }

    /// <summary>
    /// How to attribute the outputs of a text model file to the tokens of a text, in Float64: over the embedding layer's output for a
    /// recurrent classifier (lstm, gru, rnn) or a bag of embeddings (bow), exactly over the TF-IDF vector for a linear TF-IDF model
    /// (logistic, svm); null for a model that does not read token ids.
    /// </summary>
    public static TokenAttributor? TokensOf(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Architecture is not { ReadsTokenIds: true } architecture) return null;
        var network = Float64Copy(architecture, model.Network!);
        // The layers after the first (dropout, the output layer of a bag of embeddings), applied to what the first gives.
        Tensor Rest(Tensor first) => network.Skip(1).Aggregate(first, (x, layer) => layer.Forward(x));
        return network[0] switch
        {
            SequenceClassifier sequence => new EmbeddingPathAttributor(sequence.Embedding.Forward,
                (vectors, ids) => Rest(sequence.ForwardEmbedded(vectors, SequenceClassifier.LengthsOf(ids)))),
            EmbeddingBag bag => new EmbeddingPathAttributor(ids => bag.Weight.Embedding(ids, bag.PaddingIndex),
                (vectors, ids) => Rest(bag.ForwardEmbedded(vectors, ids))),
            TfidfLinear tfidf when network.Count == 1 => new TfidfTermAttributor(tfidf),
            _ => null,
        };
    }

    private static Func<Tensor, Tensor> Network(ModelArchitecture architecture, Sequential trained)
    {
        var network = Float64Copy(architecture, trained);
        return rows => network.Forward(architecture.ViewAsInput(Float64(rows)));
    }

    /// <summary>A Float64 copy of the file's network in evaluation mode, so that explaining never changes the file's (its precision, or its training mode).</summary>
    private static Sequential Float64Copy(ModelArchitecture architecture, Sequential trained)
    {
        var network = architecture.Build(DType.Float64, new Generator(0));
        // Counters (batch normalisation's num_batches_tracked) stay Int32; only the weights and statistics widen.
        network.LoadStateDict(trained.StateDict().ToDictionary(entry => entry.Key,
            entry => entry.Value.DType == DType.Int32 ? entry.Value : entry.Value.To(DType.Float64)));
        network.Eval();
        return network;
    }

    /// <summary>X·W + b with W (features, outputs) and b (outputs) laid out from scikit-learn's coef (outputs, features) or (features).</summary>
    private static Func<Tensor, Tensor> Linear(Tensor coef, Tensor intercept, bool classifier)
    {
        var w = coef.ToDoubleArray();
        var b = intercept.ToDoubleArray();
        int outputs = b.Length, features = w.Length / outputs;
        bool twoClasses = classifier && outputs == 1;
        int columns = twoClasses ? 2 : outputs;
        var weights = new double[features * columns];
        var bias = new double[columns];
        for (int o = 0; o < outputs; o++)
        {
            for (int f = 0; f < features; f++)
            {
                if (twoClasses) (weights[f * 2], weights[f * 2 + 1]) = (-w[f], w[f]);
                else weights[f * columns + o] = w[o * features + f];
            }
            if (twoClasses) (bias[0], bias[1]) = (-b[0], b[0]);
            else bias[o] = b[o];
        }
        var weightTensor = Tensor.FromArray(weights, features, columns);
        var biasTensor = Tensor.FromArray(bias);
        return rows => Float64(rows).Reshape(rows.Size(0), features).MatMul(weightTensor) + biasTensor;
    }

    private static Tensor Float64(Tensor rows) => rows.DType == DType.Float64 ? rows : rows.To(DType.Float64);
}
