using BenchmarkDotNet.Attributes;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>One convolution layer of a benchmark: input (N, C, H, W), O output channels, a k×k kernel, padding.</summary>
/// <param name="Name">How tables show it.</param>
/// <param name="Batch">N.</param>
/// <param name="InChannels">C.</param>
/// <param name="Size">H = W.</param>
/// <param name="OutChannels">O.</param>
/// <param name="Kernel">kH = kW.</param>
/// <param name="Padding">Zeros on each side.</param>
public readonly record struct ConvShape(string Name, int Batch, int InChannels, int Size, int OutChannels, int Kernel, int Padding)
{
    /// <summary>The anchors' CNN: 1→16 on 28×28, then (after 2×2 pooling) 16→32 on 14×14, 3×3 kernels, padding 1, batch 64.</summary>
    public static IReadOnlyList<ConvShape> Anchors { get; } =
    [
        new("conv1 64×1×28×28 → 16", 64, 1, 28, 16, 3, 1),
        new("conv2 64×16×14×14 → 32", 64, 16, 14, 32, 3, 1),
    ];

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Conv2d forward and backward (gradients of input, weight and bias) in Float32 on the anchors'
/// CNN shapes, at 1 and 2 threads; the time of one call is the figure to compare with PyTorch's
/// <c>F.conv2d</c> forward + backward.
/// </summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private Tensor _x = null!, _w = null!, _b = null!, _gradOutput = null!;
    private int _savedThreads;

    /// <summary>The layer.</summary>
    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; }

    /// <summary>Threads for the kernels.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The shapes benchmarked.</summary>
    public static IEnumerable<ConvShape> Shapes => ConvShape.Anchors;

    /// <summary>Random input, weight, bias and upstream gradient; the kernels set to <see cref="Threads"/> threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1);
        var s = Shape;
        _x = Tensor.Randn([s.Batch, s.InChannels, s.Size, s.Size], g).RequiresGradient();
        _w = Tensor.Randn([s.OutChannels, s.InChannels, s.Kernel, s.Kernel], g).RequiresGradient();
        _b = Tensor.Randn([s.OutChannels], g).RequiresGradient();
        int outSize = s.Size + 2 * s.Padding - s.Kernel + 1;
        _gradOutput = Tensor.Randn([s.Batch, s.OutChannels, outSize, outSize], g);
        _savedThreads = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = Threads;
    }

    /// <summary>Restores the thread setting.</summary>
    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxDegreeOfParallelism = _savedThreads;

    /// <summary>The forward convolution alone, outside the graph.</summary>
    [Benchmark]
    public Tensor Forward()
    {
        using (Autograd.NoGrad())
            return Tensor.Conv2d(_x, _w, _b, padding: Shape.Padding);
    }

    /// <summary>Forward, then backward into the input, weight and bias gradients (cleared each call).</summary>
    [Benchmark(Baseline = true)]
    public Tensor? ForwardBackward()
    {
        (_x.Grad, _w.Grad, _b.Grad) = (null, null, null);
        Tensor.Conv2d(_x, _w, _b, padding: Shape.Padding).Backward(_gradOutput);
        return _w.Grad;
    }
}
