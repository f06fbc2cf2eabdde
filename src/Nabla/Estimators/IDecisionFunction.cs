using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>A classifier that scores each class before choosing one (<see cref="LinearClassifier{TSelf}.DecisionFunction"/>): what a model file gives as its raw outputs.</summary>
internal interface IDecisionFunction
{
    /// <summary>The class scores: (N) for two classes (positive favours the second), (N, K) for K &gt; 2.</summary>
    Tensor DecisionFunction(FeatureMatrix x);
}
