namespace Nabla.Data;

/// <summary>Images ready for a model and their class indices.</summary>
/// <param name="Images">Float32 [images, channels, height, width], pixels scaled to [0, 1].</param>
/// <param name="Labels">Int32 [images], indices into the preprocessor's class labels.</param>
public sealed record ImageSet(Tensor Images, Tensor Labels);
