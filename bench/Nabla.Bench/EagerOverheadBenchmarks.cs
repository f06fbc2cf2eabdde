using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>
/// Eager per-op overhead, as the PyTorch anchor measures it: <see cref="EagerChain"/> forward and
/// backward on a 1-element tensor. Every figure is per op (2,000 ops a chain), allocations included.
/// </summary>
/// <remarks>
/// Allocated bytes per backward = (<see cref="ForwardBackward"/> − <see cref="Forward"/>) × 2,000;
/// <c>dotnet run -c Release --project bench/Nabla.Bench -- overhead</c> prints it directly.
/// </remarks>
[MemoryDiagnoser]
public class EagerOverheadBenchmarks
{
    /// <summary>The anchor's figure: forward and backward of the chain.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EagerChain.Ops)]
    public Tensor? ForwardBackward()
    {
        var x = EagerChain.Leaf();
        EagerChain.Forward(x).Backward();
        return x.Grad;
    }

    /// <summary>The forward chain with the graph recorded, no backward.</summary>
    [Benchmark(OperationsPerInvoke = EagerChain.Ops)]
    public Tensor Forward() => EagerChain.Forward(EagerChain.Leaf());

    /// <summary>The forward chain without autograd (inside <see cref="Autograd.NoGrad"/>): the cost of the ops alone.</summary>
    [Benchmark(OperationsPerInvoke = EagerChain.Ops)]
    public Tensor ForwardNoGrad()
    {
        using (Autograd.NoGrad())
            return EagerChain.Forward(EagerChain.Leaf());
    }
}
