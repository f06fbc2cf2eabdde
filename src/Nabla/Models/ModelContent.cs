using Nabla.Data;

namespace Nabla.Models;

/// <summary>
/// What a <see cref="ModelFile"/> holds besides the metadata every file has: a network with its
/// architecture (<see cref="NetworkContent"/>) or a fitted estimator (<see cref="EstimatorContent"/>).
/// It predicts, and gives the tensors and metadata entries of its kind for saving.
/// </summary>
internal abstract class ModelContent
{
    /// <summary>The value of the "model" metadata key: "network", or the estimator's kind.</summary>
    public abstract string Kind { get; }

    /// <summary>What the model predicts.</summary>
    public abstract ModelTask Task { get; }

    /// <summary>The shape of one sample of features.</summary>
    public abstract IReadOnlyList<int> InputShape { get; }

    /// <summary>The values a regression model predicts for a sample, or a classifier's number of classes.</summary>
    public abstract int Outputs { get; }

    /// <summary>The number of learnt numbers.</summary>
    public abstract long ParameterCount { get; }

    /// <summary>The raw outputs for rows of features (<see cref="ModelFile.Predict"/>), a network's in batches that fit in <paramref name="limit"/>.</summary>
    public abstract Tensor Predict(Tensor features, MemoryLimit limit);

    /// <summary>The raw outputs, the class of each row (Int32) and the class probabilities (null when the model has none), in one pass.</summary>
    public abstract (Tensor Outputs, Tensor Indices, Tensor? Probabilities) Classify(Tensor features, MemoryLimit limit);

    /// <summary>Fails when running the model on a single row would need more than <paramref name="limit"/>; an estimator's need is its weights, which are loaded already.</summary>
    /// <exception cref="InsufficientMemoryException">One row does not fit.</exception>
    public virtual void RequireMemory(MemoryLimit limit)
    {
    }

    /// <summary>Rows prepared as [rows, ...sample shape] viewed in <see cref="InputShape"/>, when the two hold as many values.</summary>
    public abstract Tensor ViewAsInput(Tensor rows);

    /// <summary>The tensors to write, checked to be what the metadata describes.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> TensorsToSave();

    /// <summary>Adds the metadata entries of this kind of model ("architecture"; or "settings" and "fitted").</summary>
    public abstract void AddMetadata(IDictionary<string, string> metadata);
}
