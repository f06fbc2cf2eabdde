namespace Nabla.Data;

/// <summary>
/// A preprocessing step that learns from data (<see cref="Fit"/>) and then maps (samples, features)
/// matrices (<see cref="Transform"/>), as scikit-learn's transformers. Its fitted state can be
/// saved as named tensors plus text metadata (<see cref="GetState"/>), the form a model file
/// stores, and restored with <see cref="TransformerState.Restore"/>.
/// </summary>
/// <remarks>
/// Implementations keep the input's element type (Float32 in, Float32 out), compute in double,
/// throw <see cref="InvalidOperationException"/> when used before fitting and
/// <see cref="ShapeMismatchException"/> naming both counts when the number of features differs
/// from the one seen in <see cref="Fit"/>.
/// </remarks>
public interface ITransformer
{
    /// <summary>Whether <see cref="Fit"/> has been called.</summary>
    bool IsFitted { get; }

    /// <summary>The number of features (columns) seen in <see cref="Fit"/>.</summary>
    /// <exception cref="InvalidOperationException">The transformer is not fitted.</exception>
    int NFeaturesIn { get; }

    /// <summary>Learns the transformation from a (samples, features) matrix, replacing what was learnt before; returns this transformer.</summary>
    ITransformer Fit(Tensor x);

    /// <summary>Applies the learnt transformation to a (samples, features) matrix, returning a new tensor.</summary>
    Tensor Transform(Tensor x);

    /// <summary>Fits on <paramref name="x"/> and transforms it.</summary>
    Tensor FitTransform(Tensor x);

    /// <summary>The fitted state: the learnt arrays as named tensors and the settings as metadata.</summary>
    /// <exception cref="InvalidOperationException">The transformer is not fitted.</exception>
    TransformerState GetState();
}
