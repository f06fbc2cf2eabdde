using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// The memory a network needs, counted from its architecture before anything is allocated: the
/// counts worked out by hand from the shapes, the batch that fits a limit, and the refusals, which
/// name the layer, what it would take and the limit's setting.
/// </summary>
public sealed class NetworkMemoryTests
{
    [Fact]
    public void PredictionBatches_KeepANarrowNetworksArraysOffTheLargeObjectHeap_AndGiveTheOneBatchOutputs()
    {
        // 128 Float32 values a row at the widest: 84,000 / 512 = 164 rows a batch.
        var narrow = ModelArchitecture.Mlp(64, [128, 64], Activation.Relu, 10);
        Assert.Equal(164, narrow.Memory().RowsBelowLargeObjects(64));
        // 784 inputs a row: fewer than 64 rows fit, so batches stay as large as the memory limit allows.
        Assert.Null(ModelArchitecture.Mlp(784, [256, 128], Activation.Relu, 10).Memory().RowsBelowLargeObjects(64));

        var network = narrow.Build(DType.Float32, new Generator(2));
        network.Eval();
        var rows = Tensor.FromArray([.. Enumerable.Range(0, 500 * 64).Select(i => (float)Math.Sin(0.37 * i))], 500, 64);
        Tensor whole;
        using (global::Nabla.Autograd.NoGrad()) whole = network.Forward(rows);
        var predicted = new ModelFile(narrow, network, Nabla.Data.ModelTask.Regression).Predict(rows);
        Assert.Equal(whole.ToArray<float>(), predicted.ToArray<float>());
    }

    private static readonly MemoryLimit Unlimited = new(long.MaxValue, "test limit");

    // 64 → 32 → 10: 64·32 + 32 + 32·10 + 10 = 2,410 parameters; per row, linear 0 reads 64 values and
    // makes 32, which the ReLU rectifies in place, linear 2 makes 10 from 32: the peak is linear 0's 96 values.
    private static ModelArchitecture Mlp() => ModelArchitecture.Mlp(64, [32], Activation.Relu, 10);

    [Fact]
    public void Mlp_CountsItsParameters_AndTheWidestLayersInputAndOutputPerRow()
    {
        var memory = Mlp().Memory();

        Assert.Equal(2_410 * 4, memory.ParameterBytes);
        Assert.Equal(2_410 * 4 + 96 * 4, memory.InferenceBytes(1));
        Assert.Equal(2_410 * 4 + 100 * 96 * 4, memory.InferenceBytes(100));
        var doubles = Mlp().Memory(DType.Float64);
        Assert.Equal(2_410 * 8 + 96 * 8, doubles.InferenceBytes(1));
    }

    [Fact]
    public void Training_AddsGradientsOptimizerStateAndEveryActivationWithItsGradient()
    {
        const int rows = 50, adam = 8;

        long bytes = Mlp().Memory().TrainingBytes(rows, adam);

        // Weights and their gradients (4 + 4 bytes) and Adam's two moments; the input batch; the outputs
        // of linear 0 (rectified in place by the ReLU) and linear 2, 32 + 10 a row, each with its gradient.
        Assert.Equal(2_410 * (4 + 4 + adam) + rows * 64 * 4 + rows * 42 * 4 * 2, bytes);
    }

    [Fact]
    public void Convolution_CountsTheColumnsItUnfoldsItsInputInto_UnlessItIsPointwise()
    {
        // Cnn(1, 8, 8): the second convolution reads 16×4×4 = 256 values, makes 32×4×4 = 512 and
        // unfolds its input into 16·3·3 = 144 values for each of its 16 positions: 2,304, the peak.
        var cnn = ModelArchitecture.Cnn(1, 8, 8, 10);
        Assert.Equal((160 + 4_640 + 1_290) * 4 + (256 + 512 + 2_304) * 4, cnn.Memory().InferenceBytes(1));

        // A 1×1 kernel with no stride or padding reads its input as it is: 64 values in, 4×64 out, 8 parameters.
        var pointwise = new ModelArchitecture([1, 8, 8], [new Conv2dSpec(1, 4, 1)]);
        Assert.Equal(8 * 4 + (64 + 256) * 4, pointwise.Memory().InferenceBytes(1));
    }

    [Fact]
    public void RowsPerBatch_IsTheMostRowsWhoseActivationsFit_UpToTheCap()
    {
        var memory = Mlp().Memory();
        long fitsThirtySeven = memory.ParameterBytes + 37 * 96 * 4 + 100;

        Assert.Equal(37, memory.RowsPerBatch(1024, new MemoryLimit(fitsThirtySeven, "test limit")));
        Assert.True(memory.InferenceBytes(37) <= fitsThirtySeven && memory.InferenceBytes(38) > fitsThirtySeven);
        Assert.Equal(1024, memory.RowsPerBatch(1024, Unlimited));
        Assert.Equal(5, memory.RowsPerBatch(5, Unlimited));
    }

    [Fact]
    public void RowsPerBatch_RefusesWhenNotEvenOneRowFits_NamingTheLayerAndTheLimit()
    {
        var error = Assert.Throws<InsufficientMemoryException>(() => Mlp().Memory().RowsPerBatch(1024, new MemoryLimit(10_000, "--memory-limit")));

        // 2,410 parameters and 96 values of one row, 4 bytes each: 10,024 bytes.
        Assert.Equal("layer 0 (linear) would produce 128 bytes of activations per batch of 1 row; running the network needs 9.79 KB, and the limit is 9.77 KB (--memory-limit).",
            error.Message);
    }

    [Fact]
    public void RequireTraining_RefusesHugeHiddenLayers_BeforeAllocatingThem()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var wide = ModelArchitecture.Mlp(64, [30_000, 30_000], Activation.Relu, 10);

        var error = Assert.Throws<InsufficientMemoryException>(() => wide.Memory().RequireTraining(64, 8, new MemoryLimit(8L << 30, "--memory-limit")));

        // 30,000 · 30,000 + 30,000 parameters of 4 bytes, with their gradients and Adam's 8 bytes: 14.4 GB (13.4 GB of 1024³).
        Assert.StartsWith("layer 2 (linear) holds 900,030,000 parameters, 13.4 GB with their gradients and the optimizer's state; training needs 13.5 GB in all", error.Message);
        Assert.EndsWith("and the limit is 8 GB (--memory-limit).", error.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [Fact]
    public void RequireTraining_RefusesABatchWhoseActivationsDoNotFit_NamingTheBatch()
    {
        // 64 channels of 64×64 from a 3×3 kernel: 576 weights, but 1 MB of activations per row.
        var wide = new ModelArchitecture([1, 64, 64], [new Conv2dSpec(1, 64, 3, 1, 1), new ActivationSpec(Activation.Relu)]);

        var error = Assert.Throws<InsufficientMemoryException>(() => wide.Memory().RequireTraining(256, 0, new MemoryLimit(100 << 20, "--memory-limit")));

        Assert.StartsWith("layer 0 (conv2d) would produce 256 MB of activations per batch of 256 rows, 512 MB with their gradients; training needs", error.Message);
        Assert.EndsWith("the limit is 100 MB (--memory-limit).", error.Message);
        wide.Memory().RequireTraining(8, 0, new MemoryLimit(100 << 20, "--memory-limit"));
    }

    [Fact]
    public void RequireTraining_RefusesABatchTooLargeForOneArray_WhateverTheLimit()
    {
        var wide = new ModelArchitecture([1, 64, 64], [new Conv2dSpec(1, 64, 3, 1, 1)]);

        var error = Assert.Throws<InsufficientMemoryException>(() => wide.Memory().RequireTraining(10_000, 0, Unlimited));

        Assert.Equal("layer 0 (conv2d) would produce 2,621,440,000 values per batch of 10000 rows, more than one array holds (2,147,483,591); train on smaller batches", error.Message);
    }

    [Fact]
    public void Memory_RefusesIntegerWeights_AndCountsNeedAtLeastOneRow()
    {
        Assert.Throws<ArgumentException>(() => Mlp().Memory(DType.Int32));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mlp().Memory().InferenceBytes(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mlp().Memory().TrainingBytes(1, -1));
    }
}
