using System.Numerics.Tensors;

namespace Nabla.Training;

/// <summary>
/// Counts the samples whose highest-scoring class is the target, for outputs of shape [N, classes]
/// (scores, logits or probabilities) against Int32 class labels of shape [N].
/// </summary>
internal static class ClassificationAccuracy
{
    /// <summary>Whether <paramref name="output"/> and <paramref name="targets"/> are class scores and labels.</summary>
    public static bool Applies(Tensor output, Tensor targets) =>
        targets.DType == DType.Int32 && targets.Rank == 1 && output.Rank == 2 && output.IsFloatingPoint
        && output.ShapeArray[0] == targets.ShapeArray[0] && output.ShapeArray[1] >= 2;

    /// <summary>How many rows of <paramref name="output"/> have their largest value at the target's class (the first one on ties).</summary>
    public static int CountCorrect(Tensor output, Tensor targets)
    {
        int rows = output.ShapeArray[0], classes = output.ShapeArray[1];
        var labels = targets.Int32Data;
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int predicted = output.DType == DType.Float32
                ? TensorPrimitives.IndexOfMax<float>(output.Float32Data.AsSpan(r * classes, classes))
                : TensorPrimitives.IndexOfMax<double>(output.Float64Data.AsSpan(r * classes, classes));
            if (predicted == labels[r]) correct++;
        }
        return correct;
    }
}
