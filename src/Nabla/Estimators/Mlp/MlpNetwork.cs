using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// The network of an MLP estimator: a <see cref="Sequential"/> of <see cref="Linear"/> layers with the
/// hidden activation between them (and, when asked, batch normalisation before it and dropout after
/// it), initialised as scikit-learn does; the linear layers' weights are what the L2 penalty covers.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly Linear[] _layers;

    /// <summary>Builds the network for <paramref name="units"/> (inputs, hidden sizes…, outputs), weights from <paramref name="generator"/>.</summary>
    public MlpNetwork(MlpOptions options, int[] units, Generator generator)
    {
        _layers = new Linear[units.Length - 1];
        var model = new Sequential();
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i] = new Linear(units[i], units[i + 1], generator: generator, dtype: options.DType);
            GlorotUniform(_layers[i], options.Activation, generator);
            model.Add(_layers[i]);
            if (i == _layers.Length - 1) break;
            if (options.BatchNorm) model.Add(new BatchNorm1d(units[i + 1], dtype: options.DType));
            model.Add(options.Activation switch
            {
                Activation.Identity => new Identity(),
                Activation.Sigmoid => new Sigmoid(),
                Activation.Tanh => new Tanh(),
                Activation.LeakyRelu => new LeakyReLU(),
                Activation.Gelu => new GELU(),
                _ => new ReLU(),
            });
            if (options.Dropout > 0) model.Add(new Dropout(options.Dropout, generator));
        }
        Model = model;
        Parameters = [.. model.Parameters()];
        Weights = Array.ConvertAll(_layers, layer => layer.Weight);
        DType = options.DType;
    }

    /// <summary>The layers as one module.</summary>
    public Sequential Model { get; }

    /// <summary>Every trained tensor: the linear layers' weights and biases, and batch normalisation's scales and shifts.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The linear layers' weights, input side first: the tensors the L2 penalty covers (not the intercepts, as scikit-learn).</summary>
    public Tensor[] Weights { get; }

    /// <summary>The type of the weights.</summary>
    public DType DType { get; }

    /// <summary>The number of inputs.</summary>
    public int Inputs => _layers[0].InFeatures;

    /// <summary>The number of outputs.</summary>
    public int Outputs => _layers[^1].OutFeatures;

    /// <summary>The number of linear layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Layer <paramref name="i"/>'s weights as scikit-learn's <c>coefs_[i]</c>: Float64 (inputs, outputs).</summary>
    public Tensor Coef(int i)
    {
        using (Autograd.NoGrad())
            return Tensor.FromArray(_layers[i].Weight.T.ToDoubleArray(), _layers[i].InFeatures, _layers[i].OutFeatures);
    }

    /// <summary>Layer <paramref name="i"/>'s bias as scikit-learn's <c>intercepts_[i]</c>: Float64 (outputs).</summary>
    public Tensor Intercept(int i) => Tensor.FromArray(_layers[i].Bias!.ToDoubleArray());

    /// <summary>Sets layer <paramref name="i"/>'s weights from scikit-learn's layout, (inputs, outputs) and (outputs).</summary>
    public void SetLayer(int i, double[] coef, double[] intercept)
    {
        var layer = _layers[i];
        int ins = layer.InFeatures, outs = layer.OutFeatures;
        for (int r = 0; r < ins; r++)
            for (int c = 0; c < outs; c++) layer.Weight.SetFlat(c * ins + r, coef[r * outs + c]);
        for (int c = 0; c < outs; c++) layer.Bias!.SetFlat(c, intercept[c]);
    }

    /// <summary>The expected (inputs, outputs) of layer <paramref name="i"/>.</summary>
    public (int Inputs, int Outputs) LayerShape(int i) => (_layers[i].InFeatures, _layers[i].OutFeatures);

    /// <summary>The raw outputs (before the output activation) of a batch, recorded for back-propagation when training.</summary>
    public Tensor Forward(Tensor batch) => Model.Forward(batch);

    // scikit-learn's _init_coef: W and b from U(−r, r), r = √(6 / (in + out)), or √(2 / (in + out)) for the logistic activation.
    private static void GlorotUniform(Linear layer, Activation activation, Generator generator)
    {
        double factor = activation == Activation.Sigmoid ? 2 : 6;
        double bound = Math.Sqrt(factor / (layer.InFeatures + layer.OutFeatures));
        Init.Uniform(layer.Weight, -bound, bound, generator);
        Init.Uniform(layer.Bias!, -bound, bound, generator);
    }
}
