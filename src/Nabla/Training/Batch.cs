namespace Nabla.Training;

/// <summary>One mini-batch from a <see cref="DataLoader"/>: the inputs and targets of <see cref="Count"/> samples.</summary>
/// <param name="Inputs">The inputs, first dimension <see cref="Count"/>.</param>
/// <param name="Targets">The targets, first dimension <see cref="Count"/>.</param>
/// <param name="Index">The position of this batch in its epoch, from 0.</param>
/// <remarks>
/// The tensors may be buffers that the loader refills for a later batch (see
/// <see cref="DataLoader.ReuseBuffers"/>): use them before asking for the next batch, or
/// <see cref="Tensor.Clone"/> them to keep them.
/// </remarks>
public readonly record struct Batch(Tensor Inputs, Tensor Targets, int Index)
{
    /// <summary>The number of samples in the batch.</summary>
    public int Count => Inputs.ShapeArray[0];
}
