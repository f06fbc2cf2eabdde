using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// RNN, LSTM and GRU against PyTorch in Float64, from Fixtures/torch_rnn.json, which
/// tools/fixtures/torch_rnn.py wrote: with PyTorch's weights loaded through LoadStateDict, the
/// outputs, the final states, and the gradients of a fixed weighted sum of them with respect to the
/// input, the initial states and every parameter, to 1e-10; bidirectional stacks too, and padded
/// batches of sequences of different lengths, which PyTorch ran packed (pack_padded_sequence).
/// </summary>
public sealed class RecurrentTorchReferenceTests
{
    private static readonly Lazy<Fixture> s_fixture = new(() => FixtureFile.Load<Fixture>("torch_rnn.json"));

    public static TheoryData<string> CaseNames() => new(s_fixture.Value.Cases.Select(c => c.Name));

    [Fact]
    public void Fixture_CoversEveryLayerAndOption()
    {
        var cases = s_fixture.Value.Cases;
        Assert.Equal(["GRU", "LSTM", "RNN_RELU", "RNN_TANH"], cases.Select(c => c.Mode).Distinct().Order());
        foreach (var mode in new[] { "RNN_TANH", "LSTM", "GRU" })
        {
            var ofMode = cases.Where(c => c.Mode == mode).ToList();
            Assert.Contains(ofMode, c => c.NumLayers == 1);
            Assert.Contains(ofMode, c => c.NumLayers == 2);
            Assert.Contains(ofMode, c => c.BatchFirst);
            Assert.Contains(ofMode, c => !c.BatchFirst && c.Batched);
            Assert.Contains(ofMode, c => c.H0 is not null);
            Assert.Contains(ofMode, c => c.H0 is null);
            Assert.Contains(ofMode, c => !c.Bias);
            Assert.Contains(ofMode, c => !c.Batched);
            Assert.Contains(ofMode, c => c.Bidirectional && c.NumLayers == 2 && c.Lengths is null);
            Assert.Contains(ofMode, c => c.Bidirectional && c.NumLayers == 2 && c.Lengths is not null);
        }
        // Packed sequences in PyTorch's sense: unsorted lengths, some shorter than the padded batch, one of 1 step.
        Assert.All(cases.Where(c => c.Lengths is not null), c => Assert.Contains(c.Lengths!, n => n < c.Input.Shape[c.BatchFirst ? 1 : 0]));
        Assert.Contains(cases, c => c.Lengths is not null && c.Lengths.Contains(1));
        Assert.Contains(cases, c => c.Lengths is not null && c.H0 is not null && c.Mode == "LSTM");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputsStatesAndGradients_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var layer = Build(c);
        Assert.Equal(c.State.Keys, layer.NamedParameters().Select(p => p.Name));
        layer.LoadStateDict(c.State.ToDictionary(p => p.Key, p => ToTensor(p.Value)));

        var input = ToTensor(c.Input).RequiresGradient();
        var h0 = c.H0 is null ? null : ToTensor(c.H0).RequiresGradient();
        var c0 = c.C0 is null ? null : ToTensor(c.C0).RequiresGradient();
        var (output, hN, cN) = Run(layer, input, h0, c0, c.Lengths);

        c.Output.AssertClose($"{name}: output", output);
        c.HN.AssertClose($"{name}: final hidden state", hN);
        if (c.CN is not null) c.CN.AssertClose($"{name}: final cell state", cN!);
        else Assert.Null(cN);
        if (h0 is null && c.Lengths is null) Assert.Equal(output.ToArray<double>(), layer.Forward(input).ToArray<double>());

        var loss = (output * ToTensor(c.GOutput)).Sum() + (hN * ToTensor(c.GH)).Sum();
        if (cN is not null) loss += (cN * ToTensor(c.GC!)).Sum();
        var named = new List<(string Name, Tensor Tensor)> { ("input", input) };
        if (h0 is not null) named.Add(("h0", h0));
        if (c0 is not null) named.Add(("c0", c0));
        named.AddRange(layer.NamedParameters());
        Assert.Equal(c.Grads.Keys, named.Select(n => n.Name));

        var grads = Nabla.Autograd.Grad([loss], named.Select(n => n.Tensor).ToArray());
        for (int i = 0; i < named.Count; i++)
            c.Grads[named[i].Name].AssertClose($"{name}: gradient of {named[i].Name}", grads[i]!);
    }

    private static RecurrentLayer Build(Case c) => c.Mode switch
    {
        "RNN_TANH" or "RNN_RELU" => new RNN(c.InputSize, c.HiddenSize, c.NumLayers, c.Mode == "RNN_TANH" ? Nonlinearity.Tanh : Nonlinearity.Relu,
            c.Bias, c.BatchFirst, bidirectional: c.Bidirectional, dtype: DType.Float64),
        "LSTM" => new LSTM(c.InputSize, c.HiddenSize, c.NumLayers, c.Bias, c.BatchFirst, bidirectional: c.Bidirectional, dtype: DType.Float64),
        "GRU" => new GRU(c.InputSize, c.HiddenSize, c.NumLayers, c.Bias, c.BatchFirst, bidirectional: c.Bidirectional, dtype: DType.Float64),
        _ => throw new InvalidDataException($"Unknown recurrent mode {c.Mode} in the fixture."),
    };

    /// <summary>The richer Forward of each layer type (with lengths when the case has them): output, final hidden state and (LSTM) final cell state.</summary>
    private static (Tensor Output, Tensor Hidden, Tensor? Cell) Run(RecurrentLayer layer, Tensor input, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        switch (layer)
        {
            case LSTM lstm:
                (Tensor, Tensor)? state = h0 is null ? null : (h0, c0!);
                var (output, (hidden, cell)) = lengths is null ? lstm.Forward(input, state) : lstm.Forward(input, lengths, state);
                return (output, hidden, cell);
            case GRU gru:
                var (gruOutput, gruHidden) = lengths is null ? gru.Forward(input, h0) : gru.Forward(input, lengths, h0);
                return (gruOutput, gruHidden, null);
            default:
                var rnn = (RNN)layer;
                var (rnnOutput, rnnHidden) = lengths is null ? rnn.Forward(input, h0) : rnn.Forward(input, lengths, h0);
                return (rnnOutput, rnnHidden, null);
        }
    }

    private static Tensor ToTensor(TensorData data) => Tensor.FromArray(data.Values, data.Shape);

    private sealed record Case(string Name, string Mode, int InputSize, int HiddenSize, int NumLayers, bool Bias, bool BatchFirst, bool Batched,
        bool Bidirectional, int[]? Lengths,
        Dictionary<string, TensorData> State, TensorData Input, TensorData? H0, TensorData? C0,
        TensorData Output, TensorData HN, TensorData? CN, TensorData GOutput, TensorData GH, TensorData? GC,
        Dictionary<string, TensorData> Grads);

    private sealed record Fixture(List<Case> Cases);
}
