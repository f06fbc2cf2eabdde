using Nabla.NN;

namespace Nabla.Tests.Training;

/// <summary>A multilayer perceptron for the training tests: Linear layers with an activation between them (none after the last).</summary>
internal sealed class Mlp : Module
{
    private readonly Sequential _layers = new();
    private readonly Func<Tensor, Tensor> _activation;

    /// <param name="sizes">Input size, hidden sizes, output size.</param>
    /// <param name="activation">Applied after every layer but the last.</param>
    /// <param name="seed">Seeds the initial weights.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    public Mlp(int[] sizes, Func<Tensor, Tensor> activation, ulong seed = 1, DType dtype = DType.Float32)
    {
        var generator = new Generator(seed);
        for (int i = 0; i + 1 < sizes.Length; i++) _layers.Add(new Linear(sizes[i], sizes[i + 1], generator: generator, dtype: dtype));
        _activation = activation;
    }

    public IReadOnlyList<Module> Layers => _layers;

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].Forward(x);
            if (i + 1 < _layers.Count) x = _activation(x);
        }
        return x;
    }
}
