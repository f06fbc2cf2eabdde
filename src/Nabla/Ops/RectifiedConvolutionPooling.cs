using System.Buffers;
using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// Convolution, ReLU and max pooling as one op: the block of a small CNN, fused so that the
// convolution's output, the largest tensor of such a network, lives only in a pooled scratch buffer.
public sealed partial class Tensor
{
    /// <summary>
    /// MaxPool2d(max(conv(x, w) + bias, 0)) as one op: what <see cref="NN.Sequential"/> runs for a
    /// <see cref="NN.Conv2d"/>, a <see cref="NN.ReLU"/> and a <see cref="NN.MaxPool2d"/> in a row,
    /// with the same result as the three. Each sample's rectified convolution is written to a pooled
    /// scratch buffer and pooled from there; only the pooled output and its argmax are kept.
    /// </summary>
    /// <remarks>
    /// Derivative: the pooled gradient, zeroed where the pooled output is not positive (ReLU's mask
    /// at the position each maximum came from), scattered back to the argmax positions, then the
    /// convolution's derivative.
    /// </remarks>
    internal static Tensor Conv2dReluMaxPool2d(Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups,
        int poolKernel, int poolStride, int poolPadding, int poolDilation, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 3)
            return Conv2dReluMaxPool2d(input.Unsqueeze(0), weight, bias, stride, padding, dilation, groups,
                poolKernel, poolStride, poolPadding, poolDilation, ceilMode).Squeeze(0);
        var g = ConvolutionGeometry(input, weight, bias, stride, padding, dilation, groups);
        var pool = PoolWindow(nameof(MaxPool2d), g.OutputShape, (poolKernel, poolKernel), (poolStride, poolStride),
            (poolPadding, poolPadding), (poolDilation, poolDilation), ceilMode);
        int[] shape = [g.Batch, g.OutChannels, pool.OutputHeight, pool.OutputWidth];
        var y = Uninitialized(shape, input.DType);
        ReadOnlySpan<Tensor> inputs = bias is null ? [input, weight] : [input, weight, bias];
        bool record = Graph.ShouldRecord(inputs);
        var argmax = record ? Uninitialized(shape, DType.Int32) : null;
        var positions = argmax?.Int32Data ?? ArrayPool<int>.Shared.Rent(y.Length);
        if (input.DType == DType.Float32) RectifiedConvolutionPool(input.Float32Data, weight.Float32Data, bias?.Float32Data, y.Float32Data, positions, g, pool);
        else RectifiedConvolutionPool(input.Float64Data, weight.Float64Data, bias?.Float64Data, y.Float64Data, positions, g, pool);
        if (!record)
        {
            ArrayPool<int>.Shared.Return(positions);
            return y;
        }
        return Graph.Record("Conv2dReluMaxPool2d", inputs, y, static (grad, n, saved) =>
        {
            var (g, argmax) = saved;
            if (Graph.IsBackwardRecorded)
                return ConvolutionGradients((grad * MaskDispatch.Positive(n.Output!)).ScatterToPlanes(argmax, g.OutputShape), n, g);
            return grad.DType == DType.Float32
                ? PooledConvolutionGradients(grad.Float32Data, n.Output!.Float32Data, argmax.Int32Data, n, g)
                : PooledConvolutionGradients(grad.Float64Data, n.Output!.Float64Data, argmax.Int32Data, n, g);
        }, (Geometry: g, Argmax: argmax!));
    }

    /// <summary>
    /// y = max pooling of max(conv(x, w) + bias, 0), a sample at a time: each sample's rectified
    /// convolution goes to a scratch buffer of one sample and is pooled while still in cache.
    /// </summary>
    private static void RectifiedConvolutionPool<T>(T[] x, T[] w, T[]? bias, T[] y, int[] argmax, Conv2dGeometry g, Window2d pool)
        where T : unmanaged, INumber<T>
    {
        int outSample = g.OutChannels * g.Window.OutputPlane;
        Parallelism.For(g.Batch, Conv2dKernel.SampleWork(g), n =>
        {
            var rectified = ArrayPool<T>.Shared.Rent(outSample);
            Conv2dKernel.ForwardSample(x, w, bias, rectified, 0, n, g, relu: true);
            Pool2dKernel.Max(rectified, y, argmax, g.OutChannels, pool, firstOutputPlane: n * g.OutChannels);
            ArrayPool<T>.Shared.Return(rectified);
        });
    }

    /// <summary>
    /// The gradients of a Conv2dReluMaxPool2d node in a plain pass: the pooled gradient masked where
    /// the pooled output <paramref name="y"/> is positive, scattered to the argmax positions of a
    /// zeroed scratch buffer, and the convolution's gradients from there.
    /// </summary>
    private static Tensor?[] PooledConvolutionGradients<T>(T[] grad, T[] y, int[] argmax, Node n, Conv2dGeometry g)
        where T : unmanaged, INumber<T>
    {
        int convolved = Shapes.Numel(g.OutputShape), planes = g.Batch * g.OutChannels;
        var masked = ArrayPool<T>.Shared.Rent(y.Length);
        var scattered = ArrayPool<T>.Shared.Rent(convolved);
        try
        {
            Masks.WherePositive<T>(y, grad, masked.AsSpan(0, y.Length));
            Array.Clear(scattered, 0, convolved);
            Pool2dKernel.ScatterAdd(masked, scattered, argmax, planes, convolved / planes, y.Length / planes);
            return ConvolutionGradients(scattered, n, g);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scattered);
            ArrayPool<T>.Shared.Return(masked);
        }
    }
}
