namespace Nabla.Estimators;

/// <summary>The activation of a fitted MLP's output layer (scikit-learn's <c>out_activation_</c>), chosen by the task.</summary>
public enum MlpOutputActivation
{
    /// <summary>The raw outputs: regression, with the squared loss.</summary>
    Identity,

    /// <summary>One logistic unit: two classes, with the binary log-loss.</summary>
    Logistic,

    /// <summary>One unit a class, normalised by softmax: more than two classes, with the log-loss.</summary>
    Softmax,
}
