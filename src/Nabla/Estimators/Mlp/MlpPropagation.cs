using System.Numerics;
using System.Numerics.Tensors;
using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// The forward and backward passes of scikit-learn's own network (linear layers with one
/// elementwise activation between them, no batch normalisation or dropout), written as its
/// <c>_forward_pass</c> and <c>_backprop</c> straight onto the layers' storage: two GEMMs a layer
/// forward and two back (one for the first layer), into buffers reused from batch to batch, with no
/// graph recorded and nothing allocated once the largest batch has been seen.
/// </summary>
/// <remarks>
/// The results are those of the <see cref="Linear"/> modules' autograd path (the same kernels: the
/// affine map of <see cref="Tensor.Linear"/>, the activations' <see cref="TensorPrimitives"/>
/// forms), which the extras (batch normalisation, dropout) still take.
/// </remarks>
internal abstract class MlpPropagation
{
    /// <summary>The passes of <paramref name="layers"/> with <paramref name="activation"/> between them, in the layers' type.</summary>
    public static MlpPropagation Create(Linear[] layers, MlpActivation activation, DType dtype) => dtype == DType.Float64
        ? new MlpPropagation<double>(layers, activation)
        : new MlpPropagation<float>(layers, activation);

    /// <summary>
    /// The raw outputs (before the output activation) of the batch <paramref name="features"/>
    /// (rows, inputs), row-major in Float64; the span is this object's buffer, valid until the next call,
    /// and may be overwritten with the output errors to hand to <see cref="Backward"/>.
    /// </summary>
    public abstract Span<double> Forward(Tensor features);

    /// <summary>
    /// Back-propagates the output errors <paramref name="delta"/> (rows, outputs) of the last
    /// <see cref="Forward"/>: each layer's weight gradient δᵀ·A and bias gradient Σδ are written
    /// (not added) into the parameters' <see cref="Tensor.Grad"/>, unscaled.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<double> delta);
}

/// <summary><see cref="MlpPropagation"/> in the element type <typeparamref name="T"/>.</summary>
internal sealed class MlpPropagation<T> : MlpPropagation where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear[] _layers;
    private readonly MlpActivation _activation;

    // Per layer: its activated output (the raw output for the last) and the error at it, each
    // capacity × units; a smaller batch uses the first rows. The input of layer 0 is the batch itself.
    private T[][] _activations = [];
    private T[][] _deltas = [];
    private double[] _outputs = [];
    private T[] _input = [];
    private int _rows;

    public MlpPropagation(Linear[] layers, MlpActivation activation)
    {
        _layers = layers;
        _activation = activation;
        foreach (var layer in layers)
        {
            layer.Weight.Grad ??= Tensor.ZerosLike(layer.Weight);
            layer.Bias!.Grad ??= Tensor.ZerosLike(layer.Bias);
        }
    }

    public override Span<double> Forward(Tensor features)
    {
        _input = (T[])features.Storage;
        _rows = features.Size(0);
        Reserve(_rows);
        var input = _input;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            int outs = layer.OutFeatures;
            Tensor.AffineForward(input, (T[])layer.Weight.Storage, (T[])layer.Bias!.Storage, _activations[i], _rows, outs, layer.InFeatures);
            if (i < _layers.Length - 1) Activate(_activations[i].AsSpan(0, _rows * outs));
            input = _activations[i];
        }
        var outputs = _outputs.AsSpan(0, _rows * _layers[^1].OutFeatures);
        TensorPrimitives.ConvertChecked<T, double>(_activations[^1].AsSpan(0, outputs.Length), outputs);
        return outputs;
    }

    public override void Backward(ReadOnlySpan<double> delta)
    {
        TensorPrimitives.ConvertChecked<double, T>(delta, _deltas[^1].AsSpan(0, delta.Length));
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            var layer = _layers[i];
            int ins = layer.InFeatures, outs = layer.OutFeatures;
            T[] error = _deltas[i], below = i == 0 ? _input : _activations[i - 1];
            // dW = δᵀ·A (outs × ins) and db = Σ rows of δ, over whatever the last step left there.
            Kernels.Gemm.Dispatch(true, false, outs, ins, _rows, error, 0, below, 0, (T[])layer.Weight.Grad!.Storage, 0, accumulate: false);
            var biasGrad = layer.Bias!.Grad!.Span<T>();
            biasGrad.Clear();
            Tensor.AddRows(error.AsSpan(0, _rows * outs), biasGrad);
            if (i == 0) break;
            // The error at the layer below: δ·W, times the activation's derivative read from its output.
            Kernels.Gemm.Dispatch(false, false, _rows, ins, outs, error, 0, (T[])layer.Weight.Storage, 0, _deltas[i - 1], 0, accumulate: false);
            Derivative(_activations[i - 1].AsSpan(0, _rows * ins), _deltas[i - 1].AsSpan(0, _rows * ins));
        }
    }

    /// <summary>Grows the buffers to hold <paramref name="rows"/> samples (never shrinks them).</summary>
    private void Reserve(int rows)
    {
        if (_activations.Length > 0 && _activations[0].Length >= rows * _layers[0].OutFeatures) return;
        _activations = [.. _layers.Select(layer => new T[rows * layer.OutFeatures])];
        _deltas = [.. _layers.Select(layer => new T[rows * layer.OutFeatures])];
        _outputs = new double[rows * _layers[^1].OutFeatures];
    }

    // scikit-learn's ACTIVATIONS, in place, with the kernels of the activation modules.
    private void Activate(Span<T> z)
    {
        switch (_activation)
        {
            case MlpActivation.Relu: TensorPrimitives.Max(z, T.Zero, z); break;
            case MlpActivation.Tanh: TensorPrimitives.Tanh(z, z); break;
            case MlpActivation.Logistic: TensorPrimitives.Sigmoid(z, z); break;
        }
    }

    // scikit-learn's DERIVATIVES, from the activated output a, multiplied into the error δ in place:
    // δ = 0 where a = 0 (relu), δ·(1 − a²) (tanh), δ·a·(1 − a) (logistic), δ (identity).
    private void Derivative(ReadOnlySpan<T> a, Span<T> delta)
    {
        if (_activation == MlpActivation.Identity) return;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= a.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var z = new Vector<T>(a[j..]);
                var d = new Vector<T>(delta[j..]);
                d = _activation switch
                {
                    MlpActivation.Relu => Vector.ConditionalSelect(Vector.Equals(z, Vector<T>.Zero), Vector<T>.Zero, d),
                    MlpActivation.Tanh => d * (Vector<T>.One - z * z),
                    _ => d * z * (Vector<T>.One - z),
                };
                d.CopyTo(delta[j..]);
            }
        }
        for (; j < a.Length; j++)
        {
            T z = a[j];
            delta[j] = _activation switch
            {
                MlpActivation.Relu => z == T.Zero ? T.Zero : delta[j],
                MlpActivation.Tanh => delta[j] * (T.One - z * z),
                _ => delta[j] * z * (T.One - z),
            };
        }
    }
}
