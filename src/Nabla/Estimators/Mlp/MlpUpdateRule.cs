using System.Globalization;

namespace Nabla.Estimators;

/// <summary>
/// A stochastic solver of the MLP estimators, written as scikit-learn's <c>_stochastic_optimizers</c>
/// so that the trajectories agree: it adds an update to each parameter from its gradient, adjusts
/// the learning rate at the end of each epoch, and decides what a stalled epoch count means.
/// </summary>
/// <remarks>
/// Nabla.Optim's <see cref="Optim.Sgd"/> and <see cref="Optim.Adam"/> follow PyTorch, whose forms differ:
/// PyTorch's momentum buffer holds gradients and is scaled by the current learning rate (scikit-learn's
/// velocity holds steps, so a schedule changes it differently), and PyTorch's Adam adds ε to √v̂ rather than to √v.
/// </remarks>
internal abstract class MlpUpdateRule
{
    private protected MlpUpdateRule(double learningRate) => LearningRate = learningRate;

    /// <summary>The learning rate of the next update.</summary>
    public double LearningRate { get; protected set; }

    /// <summary>Adds the update computed from each parameter's <see cref="Tensor.Grad"/> to the parameter, in place.</summary>
    public abstract void Update(IReadOnlyList<Tensor> parameters);

    /// <summary>After an epoch, with the number of samples trained on so far.</summary>
    public virtual void IterationEnds(long samplesSeen) { }

    /// <summary>Whether a stall (described by <paramref name="message"/>) stops training; may lower the learning rate instead.</summary>
    public virtual bool TriggerStopping(string message, TextWriter? verbose)
    {
        verbose?.WriteLine(message + " Stopping.");
        return true;
    }

    /// <summary>The rule of the solver, for parameters of the type the options give.</summary>
    public static MlpUpdateRule Create(MlpOptions options, IReadOnlyList<Tensor> parameters) => (options.Solver, options.DType) switch
    {
        (Solver.Sgd, DType.Float64) => new MlpSgdRule<double>(options, parameters),
        (Solver.Sgd, _) => new MlpSgdRule<float>(options, parameters),
        (_, DType.Float64) => new MlpAdamRule<double>(options, parameters),
        _ => new MlpAdamRule<float>(options, parameters),
    };

    /// <summary>A learning rate as scikit-learn prints it (<c>%f</c>).</summary>
    private protected static string Format(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
}
