using Nabla.Data;
using Nabla.Explain;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The attributions of chosen rows by a gradient method of the library (integrated gradients, saliency, SmoothGrad), each row
/// explaining the class asked for or, by default, its predicted class; run in Float64 so integrated gradients can meet its
/// tolerance far below Float32's rounding.
/// </summary>
internal static class RowAttributions
{
    /// <summary>The bound integrated gradients is asked to meet on each row's error, well inside the 1e-6 completeness it promises.</summary>
    public const double Tolerance = 1e-7;

    /// <summary>Explains <paramref name="rows"/> of <paramref name="inputs"/>.</summary>
    /// <param name="method">A gradient method (not permutation).</param>
    /// <param name="model">The model's differentiable outputs (<see cref="DifferentiableModel"/>), in the units the explanation reports.</param>
    /// <param name="pipeline">The model file with its preprocessing, which predicts each row.</param>
    /// <param name="inputs">All the prepared rows of the data.</param>
    /// <param name="rows">The 0-based rows to explain.</param>
    /// <param name="target">The class index to explain in every row; null for each row's predicted class (or a regression model's output).</param>
    /// <param name="baseline">Integrated gradients' baseline.</param>
    /// <param name="seed">Seeds SmoothGrad's noise.</param>
    public static RowExplanation[] Compute(ExplainMethod method, Func<Tensor, Tensor> model, ModelPipeline pipeline, Tensor inputs,
        int[] rows, int? target, Baseline baseline, ulong seed)
    {
        int length = inputs.Length / inputs.Size(0);
        var values = inputs.ToDoubleArray();
        var chosen = new double[rows.Length * length];
        for (int i = 0; i < rows.Length; i++) values.AsSpan(rows[i] * length, length).CopyTo(chosen.AsSpan(i * length));
        int[] rowShape = [.. inputs.Shape.Skip(1)];
        var predictions = pipeline.Predict(Tensor.FromArray(chosen, [rows.Length, .. rowShape]).To(inputs.DType));
        bool classifier = predictions.Task == ModelTask.Classification;
        var predictedClasses = classifier ? predictions.ClassIndices!.ToArray<int>() : null;
        var predictedValues = classifier ? null : predictions.Values!.ToDoubleArray();
        var generator = new Generator(seed);
        var integrated = new IntegratedGradients(model) { AbsoluteTolerance = Tolerance, PiecewiseLinear = DifferentiableModel.IsPiecewiseLinear(pipeline.Model) };

        var explanations = new RowExplanation[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var x = Tensor.FromArray(chosen.AsSpan(i * length, length).ToArray(), [1, .. rowShape]);
            int? explained = classifier ? target ?? predictedClasses![i] : null;
            string predicted = classifier ? predictions.Labels[i] : ModelText.Metric(predictedValues![i]);
            double? value = classifier ? null : predictedValues![i];
            string? explainedName = explained is int c ? predictions.Classes[c] : null;
            explanations[i] = method switch
            {
                ExplainMethod.IntegratedGradients => Integrated(integrated.Attribute(x, explained, baseline), rows[i], predicted, value, explainedName),
                ExplainMethod.Saliency => new(rows[i], predicted, value, explainedName, Saliency.Compute(model, x, explained, absolute: false).ToDoubleArray()),
                ExplainMethod.SmoothGrad => new(rows[i], predicted, value, explainedName, SmoothGrad.Compute(model, x, generator, explained).ToDoubleArray()),
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a gradient method."),
            };
        }
        return explanations;
    }

    private static RowExplanation Integrated(IntegratedGradientsResult result, int row, string predicted, double? value, string? explained) =>
        new(row, predicted, value, explained, result.Attributions.ToDoubleArray(),
            Math.Abs(result.CompletenessError[0]), result.ErrorBound[0], result.Evaluations[0], result.Converged[0]);
}
