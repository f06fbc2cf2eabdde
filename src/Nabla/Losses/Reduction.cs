namespace Nabla.Losses;

/// <summary>How a <see cref="Loss"/> combines the losses of the individual elements, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The average (the default). Losses with class weights divide by the sum of the target classes' weights, as PyTorch.</summary>
    Mean,

    /// <summary>The total.</summary>
    Sum,

    /// <summary>No reduction: one loss per element (or per sample for classification losses).</summary>
    None,
}
