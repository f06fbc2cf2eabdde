using Nabla.Data;

namespace Nabla.Selection;

/// <summary>
/// How cross-validation drives one kind of model: fit a fresh one on a fold's training rows, then
/// predict its held-out rows in the form the scorers read (<see cref="HeldOut"/>).
/// </summary>
internal abstract class FoldLearner
{
    private object? _last;

    /// <summary>Whether the models classify or regress.</summary>
    public abstract ModelTask Task { get; }

    /// <summary>The class code of every sample, for the default stratified folds; null for a regressor.</summary>
    public abstract int[]? ClassCodes { get; }

    /// <summary>Fits a fresh model on the rows <paramref name="rows"/>, whose features are <paramref name="x"/>.</summary>
    public abstract void Fit(Tensor x, int[] rows);

    /// <summary>The last fitted model's predictions for the rows <paramref name="rows"/>, whose features are <paramref name="x"/>; probabilities only when asked.</summary>
    public abstract HeldOut Predict(Tensor x, int[] rows, bool probabilities);

    /// <summary>The calls on a model from <paramref name="factory"/>, the model (<paramref name="modelOf"/>) checked to be a new object each time.</summary>
    /// <exception cref="InvalidOperationException">The factory returned null, or the object it returned the time before.</exception>
    protected T Fresh<T>(Func<T?> factory, Func<T, object> modelOf) where T : class
    {
        var calls = factory() ?? throw new InvalidOperationException("CrossValidation: the model factory returned null; it must create a new model each call.");
        var model = modelOf(calls);
        if (ReferenceEquals(model, _last))
            throw new InvalidOperationException($"CrossValidation: the model factory returned the same {model.GetType().Name} object twice; it must create a new model each call (() => new {model.GetType().Name}(...)).");
        _last = model;
        return calls;
    }
}
