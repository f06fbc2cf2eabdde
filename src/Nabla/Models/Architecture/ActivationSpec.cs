using Nabla.NN;

namespace Nabla.Models;

/// <summary>An elementwise activation; its JSON kind is the function's name ("relu", "leaky_relu", "sigmoid", "tanh", "gelu", "identity").</summary>
/// <param name="Function">The activation applied to every element.</param>
public sealed record ActivationSpec(Activation Function) : LayerSpec
{
    /// <summary>The JSON kind of each activation, in <see cref="Activation"/> order.</summary>
    internal static readonly IReadOnlyDictionary<Activation, string> Names = new Dictionary<Activation, string>
    {
        [Activation.Relu] = "relu",
        [Activation.LeakyRelu] = "leaky_relu",
        [Activation.Sigmoid] = "sigmoid",
        [Activation.Tanh] = "tanh",
        [Activation.Gelu] = "gelu",
        [Activation.Identity] = "identity",
    };

    /// <inheritdoc/>
    public override string Kind => Names.TryGetValue(Function, out var name) ? name : Function.ToString();

    /// <inheritdoc/>
    public override string Description => Function switch
    {
        Activation.Relu => "ReLU",
        Activation.LeakyRelu => "LeakyReLU(0.01)",
        Activation.Gelu => "GELU",
        _ => Function.ToString(),
    };

    internal override int[] OutputShape(int[] input, int index)
    {
        if (!Names.ContainsKey(Function)) throw Invalid(index, $"{(int)Function} is not an activation (expected one of {string.Join(", ", Names.Values)})");
        return input;
    }

    internal override bool Matches(Module module) => Function switch
    {
        Activation.Relu => module is ReLU,
        Activation.LeakyRelu => module is LeakyReLU { NegativeSlope: LeakyReLUSlope },
        Activation.Sigmoid => module is Sigmoid,
        Activation.Tanh => module is Tanh,
        Activation.Identity => module is Identity,
        _ => module is GELU,
    };

    /// <summary>PyTorch's default negative slope, the one every saved leaky ReLU has.</summary>
    private const double LeakyReLUSlope = 0.01;

    internal override Module Build(DType dtype, Generator generator) => Function switch
    {
        Activation.Relu => new ReLU(),
        Activation.LeakyRelu => new LeakyReLU(LeakyReLUSlope),
        Activation.Sigmoid => new Sigmoid(),
        Activation.Tanh => new Tanh(),
        Activation.Identity => new Identity(),
        _ => new GELU(),
    };
}
