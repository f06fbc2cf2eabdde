using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.NN;
using Nabla.Onnx.Export;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// The recurrent layers alone, as <see cref="RecurrentLayers"/> writes them, over a padded batch of sequences of different lengths:
/// ONNX Runtime's outputs at every step (zeros past each length) and final states are Nabla's <c>Forward(input, lengths)</c>, for
/// each kind, the ReLU RNN included, stacked and bidirectional.
/// </summary>
public sealed class RecurrentLayersTests
{
    private const int Steps = 5, Batch = 3, Features = 3, Hidden = 4;

    private static readonly int[] Lengths = [5, 2, 1];

    public static TheoryData<string, bool> Layers => new()
    {
        { "lstm", false }, { "lstm", true }, { "gru", false }, { "gru", true }, { "rnn_tanh", true }, { "rnn_relu", false }, { "rnn_relu", true },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void OutputsAndFinalStatesAreNablas(string kind, bool bidirectional)
    {
        var generator = new Generator(3);
        RecurrentLayer layer = kind switch
        {
            "lstm" => new LSTM(Features, Hidden, numLayers: 2, bidirectional: bidirectional, generator: generator),
            "gru" => new GRU(Features, Hidden, numLayers: 2, bidirectional: bidirectional, generator: generator),
            _ => new RNN(Features, Hidden, numLayers: 2, nonlinearity: kind == "rnn_relu" ? Nonlinearity.Relu : Nonlinearity.Tanh, bidirectional: bidirectional, generator: generator),
        };
        var input = Init.Uniform(Tensor.Zeros(Steps, Batch, Features), -2, 2, generator);
        var (expectedOutputs, expectedStates) = Forward(layer, input);
        int directions = bidirectional ? 2 : 1;

        var outputs = OnnxRuntimeRun.Run(Graph(layer),
        [
            NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(input.ToArray<float>(), [Steps, Batch, Features])),
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(Lengths, [Batch])),
        ]);

        Agreement.Close("outputs", expectedOutputs.ToDoubleArray(), (float[])outputs["outputs"], directions * Hidden);
        // The last layer's final states: Nabla gives every layer's.
        Agreement.Close("final states", expectedStates.Slice(0, directions, directions).ToDoubleArray(), (float[])outputs["states"], Hidden);
    }

    /// <summary>Nabla's outputs and final hidden states of every layer over the padded batch.</summary>
    private static (Tensor Outputs, Tensor States) Forward(RecurrentLayer layer, Tensor input)
    {
        if (layer is LSTM lstm)
        {
            var (output, (hidden, _)) = lstm.Forward(input, Lengths);
            return (output, hidden);
        }
        return layer is GRU gru ? gru.Forward(input, Lengths) : ((RNN)layer).Forward(input, Lengths);
    }

    /// <summary>A model of the layers alone: inputs "x" [L, N, features] and "lengths", outputs "outputs" and "states".</summary>
    private static byte[] Graph(RecurrentLayer layer)
    {
        var graph = new OnnxGraphBuilder("recurrent");
        var x = graph.Input("x", TensorProto.Types.DataType.Float, Steps, Batch, Features);
        var lengths = graph.Input("lengths", TensorProto.Types.DataType.Int32, Batch);
        string outputsName = graph.Unique("outputs"), statesName = graph.Unique("states");
        var (outputs, states) = RecurrentLayers.Build(graph, layer, x, lengths, "recurrent", withOutputs: true);
        graph.Output(outputs!, outputsName, TensorProto.Types.DataType.Float, Steps, Batch, layer.OutputSize);
        graph.Output(states, statesName, TensorProto.Types.DataType.Float, layer.Bidirectional ? 2 : 1, Batch, Hidden);
        var model = new ModelProto { IrVersion = OnnxExport.IrVersion, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxDomains.Default, Version = OnnxExportOptions.MaxOpset });
        return model.ToByteArray();
    }
}
