namespace Nabla.NN;

/// <summary>How <see cref="SequencePooling"/> turns a sequence of feature vectors into one vector, over the valid steps only.</summary>
public enum SequencePoolingMode
{
    /// <summary>
    /// The features at each sequence's last valid step. In <see cref="SequenceClassifier"/>, the recurrent
    /// layer's final hidden state instead (for a bidirectional layer, the last layer's forward and reverse
    /// final states side by side), which for a one-directional layer is the same vector.
    /// </summary>
    Last,

    /// <summary>The mean over the valid steps: their sum divided by the sequence's length.</summary>
    Mean,

    /// <summary>The largest value of each feature over the valid steps; its gradient goes to the step that held it (the first, on a tie).</summary>
    Max,
}
