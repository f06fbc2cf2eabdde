using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// The PyTorch fixtures damaged at random, a few changes at a time (an operator swapped, an input rewired, an attribute
/// or a dimension changed, a node or an attribute dropped): each is either refused with an
/// <see cref="InvalidDataException"/>, or imported as a network that computes what ONNX Runtime computes with the same
/// file. Never another exception, never a network that computes something else.
/// </summary>
public sealed class MutatedModelTests
{
    private const int MutationsPerModel = 400;

    private static readonly string[] Operators =
    [
        "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Mul", "Softmax", "LogSoftmax", "Dropout", "Identity", "Conv", "MaxPool",
        "AveragePool", "Pad", "BatchNormalization", "Flatten", "Reshape", "Gather", "Squeeze", "Div", "Erf", "LSTM", "GRU", "Transpose",
        "ConstantOfShape", "Shape", "Unsqueeze", "Concat", "Slice", "Cast", "Constant",
    ];

    private static readonly long[] Numbers = [0, 1, -1, 2, 3, -2, 7, 100_000, int.MaxValue, 1L << 31, 1L << 40, long.MaxValue, long.MinValue];

    public static TheoryData<string> Models => [.. PytorchFixture.Names.Where(name => !PytorchFixture.ReadsTokenIds(name))];

    [Theory, MemberData(nameof(Models))]
    public void AMutatedModel_IsRefused_OrComputesWhatOnnxRuntimeComputes(string name)
    {
        var fixture = PytorchFixture.Load(name);
        var original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fixture.OnnxPath));
        var random = new Random(name.Length);
        int compared = 0;
        for (int trial = 0; trial < MutationsPerModel; trial++)
        {
            var model = original.Clone();
            for (int change = random.Next(1, 4); change > 0; change--) Mutate(model.Graph, random);
            byte[] bytes = model.ToByteArray();
            OnnxImportedModel imported;
            try
            {
                imported = OnnxImport.Load(new MemoryStream(bytes), "mutated.onnx");
            }
            catch (InvalidDataException)
            {
                continue;
            }
            // A file the runtime refuses is not a model either way; one it runs must run the same here.
            if (Reference(bytes, fixture.Input) is not { } expected) continue;
            Agreement.Close(expected, imported.Network.Forward(fixture.Input), $"{name}, mutation {trial}");
            compared++;
        }
        Assert.True(compared > 0, $"{name}: no mutation ran in both; the test compared nothing");
    }

    private static Tensor? Reference(byte[] model, Tensor input)
    {
        try
        {
            return OnnxRuntimeRun.RunOne(model, "input", input);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return null;
        }
    }

    private static void Mutate(GraphProto graph, Random random)
    {
        if (graph.Node.Count == 0) return;
        var node = graph.Node[random.Next(graph.Node.Count)];
        var values = graph.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(graph.Initializer.Select(i => i.Name)).Append(graph.Input[0].Name).Append("").ToList();
        long number = Numbers[random.Next(Numbers.Length)];
        switch (random.Next(9))
        {
            case 0:
                node.OpType = Operators[random.Next(Operators.Length)];
                break;
            case 1 when node.Input.Count > 0:
                node.Input[random.Next(node.Input.Count)] = values[random.Next(values.Count)];
                break;
            case 2 when node.Attribute.Count > 0:
                var attribute = node.Attribute[random.Next(node.Attribute.Count)];
                attribute.I = number;
                attribute.F = (float)(random.NextDouble() * 4 - 2);
                if (attribute.Ints.Count > 0) attribute.Ints[random.Next(attribute.Ints.Count)] = number;
                break;
            case 3 when node.Attribute.Count > 0:
                node.Attribute.RemoveAt(random.Next(node.Attribute.Count));
                break;
            case 4:
                graph.Node.Remove(node);
                break;
            case 5 when graph.Initializer[random.Next(graph.Initializer.Count)] is { Dims.Count: > 0 } weight:
                weight.Dims[random.Next(weight.Dims.Count)] = number;
                break;
            case 6 when graph.Input[0].Type.TensorType.Shape.Dim is { Count: > 1 } dims:
                dims[random.Next(1, dims.Count)].DimValue = number;
                break;
            case 7 when node.Input.Count > 0:
                node.Input.RemoveAt(random.Next(node.Input.Count));
                break;
            case 8 when node.Output.Count > 0:
                node.Output[random.Next(node.Output.Count)] = values[random.Next(values.Count)];
                break;
        }
    }
}
