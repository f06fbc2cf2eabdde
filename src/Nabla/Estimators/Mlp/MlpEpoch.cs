namespace Nabla.Estimators;

/// <summary>What one epoch of a stochastic MLP fit did, given to <see cref="IMlpCallback"/> and the progress reporter.</summary>
/// <param name="Iteration">The epoch's number, counted over warm-started fits as scikit-learn's <c>n_iter_</c> (from 1).</param>
/// <param name="MaxIter">The most epochs this fit runs.</param>
/// <param name="Loss">The mean training loss over the epoch, penalty included (the value appended to <c>LossCurve</c>).</param>
/// <param name="ValidationScore">The validation score after the epoch, when early stopping holds samples out; otherwise null.</param>
/// <param name="ValidationLoss">The validation loss after the epoch, when early stopping holds samples out; otherwise null.</param>
/// <param name="LearningRate">The optimizer's learning rate during the epoch (for Adam its base rate, before the bias corrections of each step).</param>
public readonly record struct MlpEpoch(int Iteration, int MaxIter, double Loss, double? ValidationScore, double? ValidationLoss, double LearningRate)
{
    /// <summary>The epoch's wall-clock time, validation included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The samples the epoch trained on: those of the fit, less the ones early stopping holds out.</summary>
    public int Samples { get; init; }

    /// <summary>The epoch out of the most, its loss and, with early stopping, the validation scores, e.g. "MlpEpoch { Iteration = 3/200, Loss = 0.512, LearningRate = 0.001 }".</summary>
    public override string ToString() => new ResultText(nameof(MlpEpoch)).Add(nameof(Iteration), $"{Iteration}/{MaxIter}").Add(nameof(Loss), Loss)
        .Add(nameof(ValidationScore), ValidationScore).Add(nameof(ValidationLoss), ValidationLoss).Add(nameof(LearningRate), LearningRate).ToString();
}
