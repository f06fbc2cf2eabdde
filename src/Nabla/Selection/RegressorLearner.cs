using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Selection;

/// <summary>The calls cross-validation makes on one fresh regressor, whatever its type (an estimator or a pipeline).</summary>
internal sealed record RegressorCalls(object Model, Action<FeatureMatrix, RegressionTargets> Fit, Func<FeatureMatrix, Tensor> Predict);

/// <summary>Cross-validates regressors on one target or several, as a (samples, targets) matrix.</summary>
internal sealed class RegressorLearner(Func<RegressorCalls?> fresh, TargetMatrix y) : FoldLearner
{
    private RegressorCalls? _model;

    public override ModelTask Task => ModelTask.Regression;

    public override int[]? ClassCodes => null;

    public override void Fit(Tensor x, int[] rows)
    {
        _model = Fresh(fresh, calls => calls.Model);
        var targets = Rows(rows);
        _model.Fit(x, y.OneDimensional ? targets.Values : targets.ToArray());
    }

    public override HeldOut Predict(Tensor x, int[] rows, bool probabilities)
    {
        var predicted = new DesignMatrix(_model!.Predict(x).ToDoubleArray(), rows.Length, y.Columns);
        return new HeldOut(Targets: Rows(rows).ToArray(), PredictedTargets: predicted.ToArray());
    }

    private DesignMatrix Rows(int[] rows) => new DesignMatrix(y.Values, y.Rows, y.Columns).SelectRows(rows);
}
