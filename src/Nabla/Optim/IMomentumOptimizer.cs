namespace Nabla.Optim;

/// <summary>
/// An optimizer with a momentum coefficient that a schedule may change between steps:
/// <see cref="Sgd"/> and <see cref="RmsProp"/> (momentum) and <see cref="Adam"/>/<see cref="AdamW"/>
/// (beta1), as <c>OneCycleLR</c> cycles it.
/// </summary>
public interface IMomentumOptimizer
{
    /// <summary>The momentum (or Adam's beta1), in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    double Momentum { get; set; }
}
