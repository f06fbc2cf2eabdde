using System.Globalization;

namespace Nabla.Training;

/// <summary>
/// Thrown by <see cref="Trainer"/> when the loss of a batch becomes NaN or infinite: the weights
/// can no longer improve, so training stops and says where and what to try.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the batch where the loss stopped being finite.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="step">The optimizer step, counted from 1 across epochs.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="learningRate">The learning rate when the loss diverged.</param>
    /// <param name="loss">The loss value (NaN or ±∞).</param>
    public TrainingDivergedException(int epoch, long step, int batch, double learningRate, double loss)
        : base(Describe(epoch, step, batch, learningRate, loss))
    {
        Epoch = epoch;
        Step = step;
        Batch = batch;
        LearningRate = learningRate;
        Loss = loss;
    }

    /// <summary>The epoch where the loss diverged, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The optimizer step where the loss diverged, counted from 1 across epochs.</summary>
    public long Step { get; }

    /// <summary>The batch within the epoch where the loss diverged, from 1.</summary>
    public int Batch { get; }

    /// <summary>The learning rate when the loss diverged.</summary>
    public double LearningRate { get; }

    /// <summary>The loss value: NaN or ±∞.</summary>
    public double Loss { get; }

    private static string Describe(int epoch, long step, int batch, double learningRate, double loss) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Training diverged: the loss became {loss} at epoch {epoch}, step {step} (batch {batch} of the epoch) with learning rate {learningRate:G6}. ")
        + string.Create(CultureInfo.InvariantCulture,
            $"Lower the learning rate (now {learningRate:G6}; try {learningRate / 10:G6}), or clip gradients with ClipGradNorm (Trainer.ClipGradNorm = 1), ")
        + "and check that the inputs are scaled (standardize the features) and free of NaN.";
}
