using Nabla.Metrics;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>How well the trained classifier does on the held-out test rows, by <see cref="ClassificationMetrics"/>.</summary>
/// <param name="Accuracy">The share of test rows classified correctly.</param>
/// <param name="MacroPrecision">Precision per class, averaged with every class counting the same.</param>
/// <param name="MacroRecall">Recall per class, averaged the same way.</param>
/// <param name="MacroF1">F1 per class, averaged the same way.</param>
/// <param name="WeightedF1">F1 per class, averaged by each class's number of test rows.</param>
internal sealed record TestScores(double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1, double WeightedF1)
{
    /// <summary>Predicts the class of each row of <paramref name="inputs"/> (the highest output) and scores it against <paramref name="labels"/>.</summary>
    public static TestScores Measure(Module network, Tensor inputs, Tensor labels)
    {
        network.Eval();
        Tensor predicted;
        using (Nabla.Autograd.NoGrad())
            predicted = network.Forward(inputs).ArgMax(axis: 1);
        return new TestScores(
            ClassificationMetrics.Accuracy(labels, predicted),
            ClassificationMetrics.Precision(labels, predicted, Average.Macro),
            ClassificationMetrics.Recall(labels, predicted, Average.Macro),
            ClassificationMetrics.F1(labels, predicted, Average.Macro),
            ClassificationMetrics.F1(labels, predicted, Average.Weighted));
    }
}
