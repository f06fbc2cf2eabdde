using Nabla.Estimators;
using Nabla.NN;

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
    /// outputs are not differentiable functions of its inputs: a text network (its inputs are token ids), an MLP estimator or a recommender.
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

    private static Func<Tensor, Tensor> Network(ModelArchitecture architecture, Sequential trained)
    {
        // A copy, so that explaining never changes the file's network (its precision, or its training mode).
        var network = architecture.Build(DType.Float64, new Generator(0));
        network.LoadStateDict(trained.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.To(DType.Float64)));
        network.Eval();
        return rows => network.Forward(architecture.ViewAsInput(Float64(rows)));
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
