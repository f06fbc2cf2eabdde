using System.Collections;

namespace Nabla.NN;

/// <summary>
/// Modules applied one after another, the output of each the input of the next, as
/// <c>torch.nn.Sequential</c>; they are named "0", "1", ... in the state.
/// </summary>
/// <example><c>var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));</c></example>
public sealed class Sequential : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the chain of <paramref name="layers"/>, in order.</summary>
    public Sequential(params IEnumerable<Module> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a module to the end of the chain.</summary>
    public void Add(Module layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
    }

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>The number of modules.</summary>
    public int Count => _layers.Count;

    /// <summary>Applies each module in turn.</summary>
    /// <remarks>
    /// A <see cref="Conv2d"/> directly followed by a <see cref="ReLU"/> runs as one fused op, with the
    /// same result: the convolution's output is rectified while still in cache, and the
    /// pre-activation tensor (the largest of a small CNN) is never made. When a
    /// <see cref="MaxPool2d"/> follows them too, the three are one op and the rectified output lives
    /// only in a scratch buffer. A <see cref="Linear"/> directly followed by a <see cref="ReLU"/> is
    /// one op too (<see cref="Tensor.LinearRelu"/>): the affine output is rectified in place, and the
    /// backward pass masks the gradient in scratch memory, so neither the pre-activations nor the
    /// masked gradients are allocated.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is Conv2d block && i + 2 < _layers.Count && _layers[i + 1] is ReLU && _layers[i + 2] is MaxPool2d pool)
            {
                x = block.ForwardReluMaxPool(x, pool);
                i += 2;
            }
            else if (_layers[i] is Conv2d convolution && i + 1 < _layers.Count && _layers[i + 1] is ReLU)
            {
                x = convolution.ForwardRelu(x);
                i++;
            }
            else if (_layers[i] is Linear linear && i + 1 < _layers.Count && _layers[i + 1] is ReLU)
            {
                x = linear.ForwardRelu(x);
                i++;
            }
            else
            {
                x = _layers[i].Forward(x);
            }
        }
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
