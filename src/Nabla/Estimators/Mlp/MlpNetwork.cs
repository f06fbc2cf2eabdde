using System.Numerics;
using System.Numerics.Tensors;
using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// The network of an MLP estimator: a <see cref="Sequential"/> of <see cref="Linear"/> layers with the
/// hidden activation between them (and, when asked, batch normalisation before it and dropout after
/// it), initialised as scikit-learn does, with the L2 penalty on the weights of the linear layers.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly Linear[] _layers;
    private readonly Tensor[] _parameters;
    private readonly bool[] _penalised;

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
                MlpActivation.Identity => new Identity(),
                MlpActivation.Logistic => new Sigmoid(),
                MlpActivation.Tanh => new Tanh(),
                _ => new ReLU(),
            });
            if (options.Dropout > 0) model.Add(new Dropout(options.Dropout, generator));
        }
        Model = model;
        _parameters = [.. model.Parameters()];
        _penalised = Array.ConvertAll(_parameters, p => Array.Exists(_layers, layer => ReferenceEquals(layer.Weight, p)));
        DType = options.DType;
        Propagation = options.BatchNorm || options.Dropout > 0 ? null : MlpPropagation.Create(_layers, options.Activation, options.DType);
    }

    /// <summary>The direct passes of scikit-learn's plain network; null with batch normalisation or dropout, which train through <see cref="Model"/>'s autograd.</summary>
    public MlpPropagation? Propagation { get; }

    /// <summary>The layers as one module.</summary>
    public Sequential Model { get; }

    /// <summary>Every trained tensor: the linear layers' weights and biases, and batch normalisation's scales and shifts.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

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

    /// <summary>
    /// Turns the gradients of the summed loss into scikit-learn's, in place: (∂ + α·W)/n for the
    /// weights of the linear layers, ∂/n for every other parameter, n = <paramref name="samples"/>.
    /// </summary>
    /// <returns>The penalty α/(2·n)·Σ‖W‖² over the same weights, read in the same pass.</returns>
    public double ScaleGradients(double alpha, int samples)
    {
        double squares = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            squares += DType == DType.Float64
                ? Scale<double>(_parameters[i], _penalised[i], alpha, samples)
                : Scale<float>(_parameters[i], _penalised[i], (float)alpha, samples);
        }
        return 0.5 * alpha * squares / samples;
    }

    // One pass over a parameter and its gradient: NumPy's coef_grads += alpha * coef; coef_grads /= n
    // (two roundings each, nothing fused), and Σw² for the penalty.
    private static double Scale<T>(Tensor parameter, bool penalised, T alpha, int samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var grad = parameter.Grad!.Span<T>();
        T n = T.CreateChecked(samples);
        if (!penalised)
        {
            TensorPrimitives.Divide(grad, n, grad);
            return 0;
        }
        ReadOnlySpan<T> w = parameter.Span<T>();
        T squares = T.Zero;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> a = new(alpha), count = new(n), sum = Vector<T>.Zero;
            for (; j <= w.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var weight = new Vector<T>(w[j..]);
                sum += weight * weight;
                ((new Vector<T>(grad[j..]) + a * weight) / count).CopyTo(grad[j..]);
            }
            squares = Vector.Sum(sum);
        }
        for (; j < w.Length; j++)
        {
            squares += w[j] * w[j];
            grad[j] = (grad[j] + alpha * w[j]) / n;
        }
        return double.CreateChecked(squares);
    }

    // scikit-learn's _init_coef: W and b from U(−r, r), r = √(6 / (in + out)), or √(2 / (in + out)) for the logistic activation.
    private static void GlorotUniform(Linear layer, MlpActivation activation, Generator generator)
    {
        double factor = activation == MlpActivation.Logistic ? 2 : 6;
        double bound = Math.Sqrt(factor / (layer.InFeatures + layer.OutFeatures));
        Init.Uniform(layer.Weight, -bound, bound, generator);
        Init.Uniform(layer.Bias!, -bound, bound, generator);
    }
}
