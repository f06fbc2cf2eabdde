namespace Nabla.Models;

/// <summary>One tensor a built <see cref="ModelArchitecture"/> holds in its state, known before building it.</summary>
/// <param name="Name">The dotted state name, e.g. "0.weight".</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="Trainable">Whether it is a parameter (counted in the parameter count) rather than a buffer.</param>
/// <param name="IsCounter">Whether it is an Int32 counter (BatchNorm's num_batches_tracked) rather than a weight of the model's floating-point type.</param>
internal sealed record ExpectedTensor(string Name, int[] Shape, bool Trainable, bool IsCounter = false);
