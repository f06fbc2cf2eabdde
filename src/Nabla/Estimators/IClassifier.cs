using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// What every <see cref="Classifier{TSelf}"/> does, without its self type: how a
/// <see cref="Pipeline"/> drives whichever classifier ends it.
/// </summary>
internal interface IClassifier
{
    /// <summary>The sorted classes seen by <c>Fit</c>, boxed.</summary>
    IReadOnlyList<object> Classes { get; }

    /// <summary>Fits on samples and labels of any type (<see cref="Classifier{TSelf}.Fit{TLabel}(FeatureMatrix, TLabel[])"/>).</summary>
    void FitUntyped<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull;

    /// <summary>Fits on samples and integer labels as a 1-D Int32 tensor (<see cref="Classifier{TSelf}.Fit(FeatureMatrix, Tensor)"/>).</summary>
    void FitUntyped(FeatureMatrix x, Tensor y);

    /// <summary>Whether <see cref="PredictProba"/> gives probabilities (a support vector machine, or SGD with a loss that has no probability model, gives none).</summary>
    bool HasProbabilities { get; }

    /// <summary>The predicted class of each sample as its index in <see cref="Classes"/>.</summary>
    int[] PredictClassIndices(FeatureMatrix x);

    /// <summary>The predicted labels, of the type fitted with.</summary>
    TLabel[] Predict<TLabel>(FeatureMatrix x) where TLabel : notnull;

    /// <summary>The class probabilities, columns in the order of <see cref="Classes"/>.</summary>
    Tensor PredictProba(FeatureMatrix x);

    /// <summary>The logarithms of the class probabilities.</summary>
    Tensor PredictLogProba(FeatureMatrix x);

    /// <summary>The accuracy against labels of the type fitted with.</summary>
    double Score<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull;

    /// <summary>The accuracy against integer labels as a 1-D Int32 tensor.</summary>
    double Score(FeatureMatrix x, Tensor y);
}
