using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Models;

/// <summary>
/// The counts of <see cref="NetworkMemory"/> against what the network really allocates: a first
/// training step (activations, gradients, Adam's moments) and a forward pass without gradients.
/// Counts of a peak are not totals of allocations, and kernels fuse some layers, so they agree to a
/// factor, not a byte: the test catches a count that misses a layer, a batch or a gradient.
/// </summary>
[Collection("Memory")]
public sealed class NetworkMemoryAllocationTests
{
    public static TheoryData<string> Architectures() => ["mlp 64-256-128-10", "mlp 64-2048-2048-10", "cnn 28×28"];

    private static ModelArchitecture Architecture(string name) => name switch
    {
        "mlp 64-256-128-10" => ModelArchitecture.Mlp(64, [256, 128], Activation.Relu, 10),
        "mlp 64-2048-2048-10" => ModelArchitecture.Mlp(64, [2048, 2048], Activation.Relu, 10),
        _ => ModelArchitecture.Cnn(1, 28, 28, 10),
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Counts_AgreeWithWhatATrainingStepAndAForwardPassAllocate(string name)
    {
        const int rows = 256, adam = 8;
        var architecture = Architecture(name);
        var network = architecture.Build(generator: new Generator(1));
        var optimizer = OptimizerFactory.Create(OptimizerKind.Adam, network.Parameters(), 1e-3);
        var x = Tensor.Randn([rows, .. architecture.InputShape], new Generator(2));
        var y = Tensor.FromArray(Enumerable.Range(0, rows).Select(i => i % 10).ToArray());
        var memory = architecture.Memory();

        long before = GC.GetTotalAllocatedBytes(precise: true);
        new CrossEntropyLoss().Forward(network.Forward(x), y).Backward();
        optimizer.Step();
        long step = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        using (Nabla.Autograd.NoGrad()) network.Forward(x);
        long forward = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The weights exist before either is measured.
        Assert.InRange(memory.TrainingBytes(rows, adam) - memory.ParameterBytes, step / 2, step * 5 / 2);
        Assert.InRange(memory.InferenceBytes(rows) - memory.ParameterBytes, forward / 2, forward * 5 / 2);
    }
}
