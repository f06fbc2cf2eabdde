using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// RNN, LSTM and GRU: parameter names and initialisation, gradient checks of the fused steps,
/// Float32 against Float64, dropout between layers, and the errors a user meets.
/// </summary>
public sealed class RecurrentLayerTests
{
    private static Tensor Random(Generator g, params int[] shape) => Tensor.Randn(shape, g, DType.Float64);

    [Fact]
    public void Parameters_HavePyTorchNamesAndShapes_AndItsInitialisationBounds()
    {
        var lstm = new LSTM(5, 3, numLayers: 2, generator: new Generator(1));

        Assert.Equal(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            lstm.NamedParameters().Select(p => p.Name));
        Assert.Equal([[12, 5], [12, 3], [12], [12], [12, 3], [12, 3], [12], [12]], lstm.Parameters().Select(p => p.Shape.ToArray()));
        double bound = 1 / Math.Sqrt(3);
        var all = lstm.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        Assert.All(all, v => Assert.InRange(v, -bound, bound));
        Assert.True(all.Max() > 0.8 * bound && all.Min() < -0.8 * bound, "weights should fill U(−1/√hidden, 1/√hidden)");

        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], new GRU(2, 4, bias: false).NamedParameters().Select(p => p.Name));
        Assert.Equal([4, 2], new RNN(2, 4).Parameters().First().Shape);
        Assert.Equal([12, 2], new GRU(2, 4).Parameters().First().Shape);
    }

    [Fact]
    public void Bidirectional_AddsPyTorchsReverseParameters_AndDoublesTheOutputFeatures()
    {
        var gru = new GRU(5, 3, numLayers: 2, bidirectional: true, batchFirst: true, generator: new Generator(1));

        Assert.True(gru.Bidirectional);
        Assert.Equal(6, gru.OutputSize);
        Assert.Equal(3, new GRU(5, 3).OutputSize);
        Assert.Equal(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
             "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
             "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
             "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
            gru.NamedParameters().Select(p => p.Name));
        // The second layer reads both directions' features of the first.
        Assert.Equal([9, 6], gru.StateDict()["weight_ih_l1_reverse"].Shape);
        var (output, hidden) = gru.Forward(Tensor.Zeros([2, 7, 5]), hidden0: null);
        Assert.Equal([2, 7, 6], output.Shape);
        Assert.Equal([4, 2, 3], hidden.Shape);
    }

    [Fact]
    public void Bidirectional_IsTheForwardLayerBesideTheSameLayerRunOnTheReversedSequence()
    {
        var bi = new LSTM(3, 4, bidirectional: true, generator: new Generator(2), dtype: DType.Float64);
        var forward = new LSTM(3, 4, dtype: DType.Float64);
        var backward = new LSTM(3, 4, dtype: DType.Float64);
        var weights = bi.StateDict();
        forward.LoadStateDict(weights.Where(p => !p.Key.EndsWith("_reverse", StringComparison.Ordinal)).ToDictionary());
        backward.LoadStateDict(weights.Where(p => p.Key.EndsWith("_reverse", StringComparison.Ordinal)).ToDictionary(p => p.Key[..^"_reverse".Length], p => p.Value));
        var x = Random(new Generator(3), 6, 2, 3);
        var reversed = Tensor.Concat(Enumerable.Range(0, 6).Select(t => x.Slice(0, 5 - t, 1)).ToArray());

        var (output, (hidden, cell)) = bi.Forward(x, state: null);
        var (forwardOutput, (forwardHidden, forwardCell)) = forward.Forward(x, state: null);
        var (backwardOutput, (backwardHidden, backwardCell)) = backward.Forward(reversed, state: null);

        for (int t = 0; t < 6; t++)
        {
            var step = output.Slice(0, t, 1);
            Assert.Equal(forwardOutput.Slice(0, t, 1).ToArray<double>(), step.Slice(2, 0, 4).ToArray<double>());
            Assert.Equal(backwardOutput.Slice(0, 5 - t, 1).ToArray<double>(), step.Slice(2, 4, 4).ToArray<double>());
        }
        Assert.Equal(forwardHidden.ToArray<double>().Concat(backwardHidden.ToArray<double>()), hidden.ToArray<double>());
        Assert.Equal(forwardCell.ToArray<double>().Concat(backwardCell.ToArray<double>()), cell.ToArray<double>());
    }

    [Theory]
    [InlineData("RNN_TANH")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void Gradients_WithLengthsAndBidirectional_PassGradCheck(string mode)
    {
        var g = new Generator(12);
        int[] lengths = [2, 4, 1];
        RecurrentLayer layer = mode switch
        {
            "LSTM" => new LSTM(2, 2, numLayers: 2, bidirectional: true, generator: g, dtype: DType.Float64),
            "GRU" => new GRU(2, 2, numLayers: 2, bidirectional: true, batchFirst: true, generator: g, dtype: DType.Float64),
            _ => new RNN(2, 2, numLayers: 2, bidirectional: true, generator: g, dtype: DType.Float64),
        };
        var x = (layer.BatchFirst ? Random(g, 3, 4, 2) : Random(g, 4, 3, 2)).RequiresGradient();
        var h0 = Random(g, 4, 3, 2).RequiresGradient();
        var c0 = Random(g, 4, 3, 2).RequiresGradient();

        Tensor[] Outputs(Tensor[] t) => layer switch
        {
            LSTM lstm => lstm.Forward(t[0], lengths, (t[1], t[2])) is var (o, (h, c)) ? [o, h, c] : [],
            GRU gru => gru.Forward(t[0], lengths, t[1]) is var (o, h) ? [o, h] : [],
            _ => ((RNN)layer).Forward(t[0], lengths, t[1]) is var (o, h) ? [o, h] : [],
        };

        var report = GradCheck.Check(Outputs, layer is LSTM ? [x, h0, c0] : [x, h0]);
        Assert.True(report.Passed, report.ToString());

        // The parameters, by central differences of a fixed weighted sum of the outputs and states.
        var weights = Outputs([x, h0, c0]).Select(o => Random(g, [.. o.Shape])).ToArray();
        Tensor Loss() => Outputs([x, h0, c0]).Zip(weights, (o, w) => (o * w).Sum()).Aggregate((a, b) => a + b);
        layer.ZeroGrad();
        Loss().Backward();
        foreach (var (name, parameter) in layer.NamedParameters())
        {
            var analytic = parameter.Grad!.ToArray<double>();
            var values = parameter.Float64Data;
            for (int i = 0; i < values.Length; i++)
            {
                double saved = values[i];
                values[i] = saved + 1e-6;
                double plus = Loss().Item();
                values[i] = saved - 1e-6;
                double minus = Loss().Item();
                values[i] = saved;
                Assert.True(Math.Abs((plus - minus) / 2e-6 - analytic[i]) < 1e-6 + 1e-4 * Math.Abs(analytic[i]),
                    $"{mode}: gradient of {name}[{i}] is {analytic[i]}, central differences give {(plus - minus) / 2e-6}");
            }
        }
    }

    [Fact]
    public void Lengths_AreChecked_WithTheIndexAndValue()
    {
        var lstm = new LSTM(3, 2, dtype: DType.Float64);
        var rnn = new RNN(3, 2, batchFirst: true, dtype: DType.Float64);
        var x = Tensor.Zeros([5, 2, 3], DType.Float64);

        Assert.Contains("LSTM(3, 2): lengths[1] is 6; each length must be in 1..5",
            Assert.Throws<ArgumentException>(() => lstm.Forward(x, [5, 6])).Message);
        Assert.Contains("lengths[0] is 0; each length must be in 1..5",
            Assert.Throws<ArgumentException>(() => lstm.Forward(x, [0, 5])).Message);
        Assert.Contains("3 lengths for a batch of 2 sequences",
            Assert.Throws<ArgumentException>(() => lstm.Forward(x, [1, 2, 3])).Message);
        Assert.Contains("this input is one unbatched sequence",
            Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros([5, 3], DType.Float64), [5])).Message);
        // Batch first: the steps are the second dimension.
        Assert.Contains("RNN(3, 2): lengths[1] is 3; each length must be in 1..2",
            Assert.Throws<ArgumentException>(() => rnn.Forward(x, [2, 3, 1, 1, 1])).Message);
        Assert.Throws<ArgumentNullException>(() => new GRU(3, 2).Forward(Tensor.Zeros([5, 2, 3]), lengths: null!));
    }

    [Fact]
    public void Lengths_AllFull_GiveTheUnpaddedResult()
    {
        var gru = new GRU(3, 4, numLayers: 2, bidirectional: true, generator: new Generator(13), dtype: DType.Float64);
        var x = Random(new Generator(14), 5, 2, 3);

        var (output, hidden) = gru.Forward(x, [5, 5]);
        var (plainOutput, plainHidden) = gru.Forward(x, hidden0: null);

        Assert.Equal(plainOutput.ToArray<double>(), output.ToArray<double>());
        Assert.Equal(plainHidden.ToArray<double>(), hidden.ToArray<double>());
    }

    [Theory]
    [InlineData("RNN_TANH")]
    [InlineData("RNN_RELU")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void Gradients_OfInputAndInitialStates_PassGradCheck(string mode)
    {
        var g = new Generator(2);
        RecurrentLayer layer = mode switch
        {
            "LSTM" => new LSTM(3, 2, numLayers: 2, generator: g, dtype: DType.Float64),
            "GRU" => new GRU(3, 2, numLayers: 2, batchFirst: true, generator: g, dtype: DType.Float64),
            _ => new RNN(3, 2, numLayers: 2, nonlinearity: mode == "RNN_TANH" ? Nonlinearity.Tanh : Nonlinearity.Relu, generator: g, dtype: DType.Float64),
        };
        var x = (layer.BatchFirst ? Random(g, 2, 4, 3) : Random(g, 4, 2, 3)).RequiresGradient();
        var h0 = Random(g, 2, 2, 2).RequiresGradient();
        var c0 = Random(g, 2, 2, 2).RequiresGradient();

        Tensor[] Outputs(Tensor[] t) => layer switch
        {
            LSTM lstm => lstm.Forward(t[0], (t[1], t[2])) is var (o, (h, c)) ? [o, h, c] : [],
            GRU gru => gru.Forward(t[0], t[1]) is var (o, h) ? [o, h] : [],
            _ => ((RNN)layer).Forward(t[0], t[1]) is var (o, h) ? [o, h] : [],
        };

        var report = GradCheck.Check(Outputs, layer is LSTM ? [x, h0, c0] : [x, h0]);

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Float32_AgreesWithFloat64()
    {
        var lstm64 = new LSTM(3, 4, numLayers: 2, generator: new Generator(3), dtype: DType.Float64);
        var lstm32 = new LSTM(3, 4, numLayers: 2, dtype: DType.Float32);
        lstm32.LoadStateDict(lstm64.StateDict().ToDictionary(p => p.Key, p => p.Value.To(DType.Float32)));
        var x = Random(new Generator(4), 6, 2, 3);

        var y64 = lstm64.Forward(x).ToArray<double>();
        var y32 = lstm32.Forward(x.To(DType.Float32)).ToArray<float>();

        for (int i = 0; i < y64.Length; i++) Assert.Equal(y64[i], y32[i], 1e-5);
        lstm32.Forward(x.To(DType.Float32)).Sum().Backward();
        lstm64.Forward(x).Sum().Backward();
        var w64 = lstm64.Parameters().First().Grad!.ToArray<double>();
        var w32 = lstm32.Parameters().First().Grad!.ToArray<float>();
        for (int i = 0; i < w64.Length; i++) Assert.Equal(w64[i], w32[i], 1e-4);
    }

    [Fact]
    public void Dropout_ActsBetweenLayersInTrainingOnly_AndIsSeeded()
    {
        GRU Make(double dropout, ulong seed) => new(2, 8, numLayers: 2, dropout: dropout, generator: new Generator(seed), dtype: DType.Float64);
        var x = Random(new Generator(5), 5, 3, 2);

        var a = Make(0.5, 6).Forward(x).ToArray<double>();
        var b = Make(0.5, 6).Forward(x).ToArray<double>();
        var plain = Make(0, 6).Forward(x).ToArray<double>();
        var evaluated = ((GRU)Make(0.5, 6).Eval()).Forward(x).ToArray<double>();

        Assert.Equal(a, b);
        Assert.NotEqual(plain, a);
        Assert.Equal(plain, evaluated);

        // With p = 1 the second layer sees only zeros (from both directions): its output is the same for any input.
        var full = Make(1, 7);
        Assert.Equal(full.Forward(x).ToArray<double>(), full.Forward(x * 3.0).ToArray<double>());
        var bidirectional = new GRU(2, 8, numLayers: 2, dropout: 1, bidirectional: true, generator: new Generator(7), dtype: DType.Float64);
        Assert.Equal(bidirectional.Forward(x).ToArray<double>(), bidirectional.Forward(x * 3.0).ToArray<double>());
        Assert.NotEqual(((GRU)bidirectional.Eval()).Forward(x).ToArray<double>(), bidirectional.Forward(x * 3.0).ToArray<double>());
    }

    [Fact]
    public void UnbatchedInput_GivesTheSameAsABatchOfOne()
    {
        var rnn = new RNN(3, 4, numLayers: 2, generator: new Generator(8), dtype: DType.Float64);
        var x = Random(new Generator(9), 5, 3);
        var h0 = Random(new Generator(10), 2, 4);

        var (output, hidden) = rnn.Forward(x, h0);
        var (batchOutput, batchHidden) = rnn.Forward(x.Unsqueeze(1), h0.Unsqueeze(1));

        Assert.Equal([5, 4], output.Shape);
        Assert.Equal([2, 4], hidden.Shape);
        Assert.Equal(batchOutput.ToArray<double>(), output.ToArray<double>());
        Assert.Equal(batchHidden.ToArray<double>(), hidden.ToArray<double>());
    }

    [Fact]
    public void BadArguments_AreRejected_WithTheValue()
    {
        Assert.Contains("number of layers must be at least 1, got 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new LSTM(3, 4, numLayers: 0)).Message);
        Assert.Contains("dropout probability must be in [0, 1], got 1.5",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GRU(3, 4, dropout: 1.5)).Message);
        Assert.Contains("got -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new RNN(3, 4, dropout: -0.1)).Message);
        Assert.Contains("got NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new RNN(3, 4, dropout: double.NaN)).Message);
        Assert.Contains("hidden size must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new RNN(3, 0)).Message);
        Assert.Contains("input size must be positive, got -2", Assert.Throws<ArgumentOutOfRangeException>(() => new GRU(-2, 3)).Message);
        Assert.Contains("must be Tanh or Relu, got Sigmoid",
            Assert.Throws<ArgumentException>(() => new RNN(3, 4, nonlinearity: Nonlinearity.Sigmoid)).Message);
        Assert.Throws<ArgumentException>(() => new LSTM(3, 4, dtype: DType.Int32));
    }

    [Fact]
    public void BadInputsAndStates_NameTheLayerAndTheShapes()
    {
        var lstm = new LSTM(4, 3, numLayers: 2, dtype: DType.Float64);
        var gru = new GRU(4, 3, batchFirst: true, dtype: DType.Float64);

        Assert.Contains("LSTM(4, 3): input of shape [5, 2, 3] must be (L, N, 4) or (L, 4) unbatched",
            Assert.Throws<ShapeMismatchException>(() => lstm.Forward(Tensor.Zeros([5, 2, 3], DType.Float64))).Message);
        Assert.Contains("GRU(4, 3): input of shape [2, 5, 4, 1] must be (N, L, 4) (batch first)",
            Assert.Throws<ShapeMismatchException>(() => gru.Forward(Tensor.Zeros([2, 5, 4, 1], DType.Float64))).Message);
        Assert.Contains("input of shape [0, 2, 4]",
            Assert.Throws<ShapeMismatchException>(() => lstm.Forward(Tensor.Zeros([0, 2, 4], DType.Float64))).Message);

        var x = Tensor.Zeros([5, 2, 4], DType.Float64);
        var good = Tensor.Zeros([2, 2, 3], DType.Float64);
        Assert.Contains("LSTM(4, 3): the initial hidden state has shape [1, 2, 3], expected [2, 2, 3]",
            Assert.Throws<ShapeMismatchException>(() => lstm.Forward(x, (Tensor.Zeros([1, 2, 3], DType.Float64), good))).Message);
        Assert.Contains("the initial cell state has shape [2, 3], expected [2, 2, 3]",
            Assert.Throws<ShapeMismatchException>(() => lstm.Forward(x, (good, Tensor.Zeros([2, 3], DType.Float64)))).Message);
        Assert.Contains("GRU(4, 3): the initial hidden state has shape [1, 5, 3], expected [1, 2, 3]",
            Assert.Throws<ShapeMismatchException>(() => gru.Forward(Tensor.Zeros([2, 5, 4], DType.Float64), Tensor.Zeros([1, 5, 3], DType.Float64))).Message);
        Assert.Contains("the input is Float32 but the weights are Float64",
            Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros([5, 2, 4]))).Message);
    }

    [Fact]
    public void ReusedArrays_GiveTheSameStepAgain_AndKeepEarlierOutputs()
    {
        var lstm = new LSTM(3, 4, bidirectional: true, batchFirst: true, generator: new Generator(15), dtype: DType.Float64);
        var x = Random(new Generator(16), 2, 5, 3);
        (double[] Output, double[][] Grads) Step()
        {
            foreach (var p in lstm.Parameters()) p.Grad = null;
            var (output, (hidden, _)) = lstm.Forward(x, [5, 3]);
            (output.Sum() + hidden.Pow(2).Sum()).Backward();
            return (output.ToArray<double>(), [.. lstm.Parameters().Select(p => p.Grad!.ToArray<double>())]);
        }

        var first = Step();
        var kept = lstm.Forward(x, [5, 3]).Output;
        var keptValues = kept.ToArray<double>();
        var second = Step();
        var third = Step();

        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.Grads, second.Grads);
        Assert.Equal(first.Grads, third.Grads);
        Assert.Equal(keptValues, kept.ToArray<double>());
    }

    [Fact]
    public void SecondBackwardPass_WorksBeforeTheNextRun_AndIsRefusedAfterIt()
    {
        var gru = new GRU(2, 3, dtype: DType.Float64, generator: new Generator(17));
        var x = Random(new Generator(18), 4, 2, 2).RequiresGradient();
        var loss = gru.Forward(x).Sum();

        loss.Backward(retainGraph: true);
        var once = x.Grad!.ToArray<double>();
        loss.Backward(retainGraph: true);
        Assert.Equal(once.Select(v => 2 * v), x.Grad!.ToArray<double>());

        gru.Forward(x).Sum().Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("GRU: a second backward pass through this run of the layer, after the layer ran again, is not supported", e.Message);
    }

    [Fact]
    public void GradientsOfGradients_AreRefusedClearly()
    {
        var rnn = new RNN(2, 3, dtype: DType.Float64);
        var x = Random(new Generator(11), 4, 1, 2).RequiresGradient();
        var loss = rnn.Forward(x).Pow(2).Sum();

        var e = Assert.Throws<NotSupportedException>(() => Nabla.Autograd.Grad(loss, x, createGraph: true));
        Assert.Contains("createGraph", e.Message);
    }
}
