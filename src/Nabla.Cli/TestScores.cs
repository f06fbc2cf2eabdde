using Nabla.Data;
using Nabla.IO;
using Nabla.Metrics;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>
/// How well the trained model does on the held-out test rows, measured for its task: for classes,
/// accuracy and macro and weighted precision, recall and F1 (<see cref="ClassificationMetrics"/>); for
/// numbers, the errors and R² on the target's own scale (<see cref="RegressionMetrics"/>), not the
/// standardised one the model was trained on.
/// </summary>
/// <param name="Task">What the model predicts.</param>
/// <param name="Scores">Each score in the order it is shown.</param>
internal sealed record TestScores(ModelTask Task, IReadOnlyList<TestScore> Scores)
{
    /// <summary>The score named <paramref name="key"/> in the model file (<see cref="TestScore.Key"/>).</summary>
    public double this[string key] => Scores.Single(score => score.Key == key).Value;

    /// <summary>The scores by their model-file names, as <see cref="ModelFile"/> stores them.</summary>
    public IReadOnlyDictionary<string, double> ByKey => Scores.ToDictionary(score => score.Key, score => score.Value, StringComparer.Ordinal);

    /// <summary>Runs the network on <paramref name="inputs"/> and scores its output against <paramref name="targets"/> for the task of <paramref name="preprocessor"/>.</summary>
    public static TestScores Measure(Module network, Tensor inputs, Tensor targets, Preprocessor preprocessor)
    {
        network.Eval();
        Tensor output;
        using (Nabla.Autograd.NoGrad())
            output = network.Forward(inputs);
        if (preprocessor.Task == ModelTask.Classification)
        {
            var predicted = output.ArgMax(axis: 1);
            return new TestScores(ModelTask.Classification,
            [
                new("accuracy", "accuracy", "Test accuracy", ClassificationMetrics.Accuracy(targets, predicted)),
                new("f1_macro", "macroF1", "Macro F1", ClassificationMetrics.F1(targets, predicted, Average.Macro)),
                new("precision_macro", "macroPrecision", "Macro precision", ClassificationMetrics.Precision(targets, predicted, Average.Macro)),
                new("recall_macro", "macroRecall", "Macro recall", ClassificationMetrics.Recall(targets, predicted, Average.Macro)),
                new("f1_weighted", "weightedF1", "Weighted F1", ClassificationMetrics.F1(targets, predicted, Average.Weighted)),
            ]);
        }
        var tabular = (TabularPreprocessor)preprocessor;
        var actual = tabular.InverseTransformTarget(targets);
        var predictedValues = tabular.InverseTransformTarget(output);
        return new TestScores(ModelTask.Regression,
        [
            new("r2", "r2", "Test R²", RegressionMetrics.R2(actual, predictedValues)),
            new("rmse", "rmse", "RMSE", RegressionMetrics.RootMeanSquaredError(actual, predictedValues)),
            new("mae", "mae", "MAE", RegressionMetrics.MeanAbsoluteError(actual, predictedValues)),
            new("mse", "mse", "MSE", RegressionMetrics.MeanSquaredError(actual, predictedValues)),
        ]);
    }
}
