namespace Nabla.NN;

/// <summary>
/// The elementwise activations of a network (the ones a model architecture in Nabla.Models can hold); their names in the
/// architecture JSON are "relu", "leaky_relu", "sigmoid", "tanh", "gelu" and "identity". The MLP estimators take
/// them too (scikit-learn's "logistic" is <see cref="Sigmoid"/>).
/// </summary>
public enum Activation
{
    /// <summary>max(x, 0); builds <see cref="NN.ReLU"/>.</summary>
    Relu,

    /// <summary>x where x &gt; 0, else 0.01·x (PyTorch's default slope); builds <see cref="NN.LeakyReLU"/>.</summary>
    LeakyRelu,

    /// <summary>1 / (1 + e^(−x)); builds <see cref="NN.Sigmoid"/>.</summary>
    Sigmoid,

    /// <summary>tanh(x); builds <see cref="NN.Tanh"/>.</summary>
    Tanh,

    /// <summary>x·Φ(x), the exact (erf) form; builds <see cref="NN.GELU"/>.</summary>
    Gelu,

    /// <summary>x itself: the layers around it stay linear; builds <see cref="NN.Identity"/>.</summary>
    Identity,
}
