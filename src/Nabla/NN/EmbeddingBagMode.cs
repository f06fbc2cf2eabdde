namespace Nabla.NN;

/// <summary>How an <see cref="EmbeddingBag"/> reduces the rows of a bag to one vector, as <c>torch.nn.EmbeddingBag</c>'s <c>mode</c>.</summary>
public enum EmbeddingBagMode
{
    /// <summary>The sum of the rows, each times its per-sample weight when weights are given.</summary>
    Sum,

    /// <summary>The sum of the rows divided by their number.</summary>
    Mean,

    /// <summary>The largest value of each feature over the rows; its gradient goes to the row that held it.</summary>
    Max,
}
