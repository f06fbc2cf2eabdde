namespace Nabla.Data;

/// <summary>What a saved model predicts; its name in a model file is "classification" or "regression".</summary>
public enum ModelTask
{
    /// <summary>One of several classes: the outputs are logits, one per class label.</summary>
    Classification,

    /// <summary>Numbers: the outputs are the predicted values, one per target.</summary>
    Regression,
}
