namespace Nabla.Cli;

/// <summary>The model <c>nabla train --model</c> fits; the option's words are the names in snake_case.</summary>
internal enum ModelKind
{
    /// <summary>Ordinary least squares: one linear layer and the mean squared error (regression).</summary>
    Linear,

    /// <summary>Least squares with an L2 penalty on the weights (regression).</summary>
    Ridge,

    /// <summary>Multinomial logistic regression: one linear layer and the cross-entropy (classification); over TF-IDF rows with <c>--text</c>.</summary>
    Logistic,

    /// <summary>A linear support-vector machine, the library's LinearSvc (classification); over TF-IDF rows with <c>--text</c>.</summary>
    Svm,

    /// <summary>A multilayer perceptron: hidden linear layers with an activation between them.</summary>
    Mlp,

    /// <summary>A small convolutional network for images: two convolution and pooling stages, then a dense head.</summary>
    Cnn,

    /// <summary>A text classifier: word embeddings, LSTM layers, pooling over the words, a linear layer (<c>--text</c>).</summary>
    Lstm,

    /// <summary>A text classifier as <see cref="Lstm"/> with GRU layers.</summary>
    Gru,

    /// <summary>A text classifier as <see cref="Lstm"/> with plain (tanh) recurrent layers.</summary>
    Rnn,

    /// <summary>A text classifier: the mean of the embeddings of the words, word pairs and character 3-grams (as fastText), then a linear layer (<c>--text</c>).</summary>
    Bow,

    /// <summary>A recommender: matrix factorization of a table of (user, item, rating) rows, or of implicit interactions with <c>--implicit</c> (<c>--user</c>, <c>--item</c>).</summary>
    Mf,
}
