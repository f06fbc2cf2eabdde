namespace Nabla.Cli;

/// <summary>The model <c>nabla train --model</c> fits; the option's words are the names in snake_case.</summary>
internal enum ModelKind
{
    /// <summary>Ordinary least squares: one linear layer and the mean squared error (regression).</summary>
    Linear,

    /// <summary>Least squares with an L2 penalty on the weights (regression).</summary>
    Ridge,

    /// <summary>Multinomial logistic regression: one linear layer and the cross-entropy (classification).</summary>
    Logistic,

    /// <summary>A linear support-vector machine: one linear layer and the multi-class hinge loss (classification).</summary>
    Svm,

    /// <summary>A multilayer perceptron: hidden linear layers with an activation between them.</summary>
    Mlp,

    /// <summary>A small convolutional network for images: two convolution and pooling stages, then a dense head.</summary>
    Cnn,
}
