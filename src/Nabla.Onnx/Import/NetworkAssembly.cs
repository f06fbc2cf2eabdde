using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Builds the modules of a chain of layers from the first to the last, the per-sample shape of each layer's input
/// known from the graph's declared input, and checks the result against the graph's declared output.
/// </summary>
internal static class NetworkAssembly
{
    /// <summary>The network's modules (Dropout and Identity left out; an embedding, recurrent layer and linear layer of a text classifier made one <see cref="SequenceClassifier"/>), and its per-sample input and output shapes.</summary>
    /// <exception cref="InvalidDataException">The input is not a batch of fixed-size samples of numbers or token ids, a layer does not fit the shape reaching it, or the output differs from the declared one.</exception>
    public static (List<Module> Modules, int[] InputShape, int[] OutputShape, bool ReadsTokenIds) Build(OnnxGraph graph, IReadOnlyList<MatchedLayer> layers)
    {
        var (inputShape, readsTokenIds) = InputOf(graph);
        var modules = new List<Module>();
        var shape = inputShape;
        foreach (var layer in layers)
        {
            BuiltLayer built;
            try
            {
                built = layer.Build(shape);
            }
            catch (ArgumentException e)
            {
                // Nabla's layers check their own settings too; what they refuse is named at the node.
                throw graph.Error(layer.Nodes[0], $"Nabla's layer refuses its settings: {e.Message}");
            }
            if (SampleShape.Count(built.OutputShape) is null)
                throw graph.Error(layer.Nodes[0], $"its per-sample output {SampleShape.Format(built.OutputShape)} has more values than a tensor holds");
            if (built.Module is { } module) modules.Add(module);
            shape = built.OutputShape;
        }
        bool embedding = modules.FirstOrDefault() is Embedding;
        if (readsTokenIds && !embedding)
            throw graph.Invalid($"its input '{graph.Input.Name}' holds whole numbers, but its first layer is not an embedding; Nabla reads whole numbers only as token ids");
        if (!readsTokenIds && embedding)
            throw graph.Invalid($"its first layer is an embedding, but its input '{graph.Input.Name}' holds real numbers, not token ids");
        RequireDeclaredOutput(graph, shape);
        return (TextClassifierMerge.Merge(modules), inputShape, shape, readsTokenIds);
    }

    /// <summary>The per-sample shape of the graph's input (its dimensions after the batch's) and whether it holds token ids.</summary>
    private static (int[] Shape, bool TokenIds) InputOf(OnnxGraph graph)
    {
        var input = graph.Input;
        if (input.Type?.TensorType is not { } tensor) throw graph.Invalid($"its input '{input.Name}' is not a tensor");
        var type = (TensorProto.Types.DataType)tensor.ElemType;
        bool tokenIds = type is TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32;
        if (type != TensorProto.Types.DataType.Float && !tokenIds)
            throw graph.Invalid($"its input '{input.Name}' is {type}; Nabla reads Float32 data, or Int64 or Int32 token ids");
        if (tensor.Shape is not { Dim.Count: >= 2 } declared)
            throw graph.Invalid($"its input '{input.Name}' declares {(tensor.Shape is null ? "no shape" : $"{tensor.Shape.Dim.Count} dimensions")}; Nabla reads a batch axis, then each sample's fixed dimensions");
        var shape = new int[declared.Dim.Count - 1];
        for (int i = 0; i < shape.Length; i++)
        {
            var dim = declared.Dim[i + 1];
            if (dim.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
                throw graph.Invalid($"dimension {i + 1} of the input '{input.Name}' is {(dim.DimParam.Length > 0 ? $"symbolic ('{dim.DimParam}')" : "unknown")}; Nabla needs every dimension but the batch (the first) fixed: export with only the batch axis dynamic");
            if (dim.DimValue is < 1 or > int.MaxValue)
                throw graph.Invalid($"dimension {i + 1} of the input '{input.Name}' is {dim.DimValue}, not a size Nabla can hold");
            shape[i] = (int)dim.DimValue;
        }
        if (SampleShape.Count(shape) is null)
            throw graph.Invalid($"its input '{input.Name}' declares samples of shape {SampleShape.Format(shape)}, more values than a tensor holds");
        return (shape, tokenIds);
    }

    /// <summary>Fails when the graph declares an output whose fixed dimensions differ from what its layers give.</summary>
    private static void RequireDeclaredOutput(OnnxGraph graph, int[] shape)
    {
        if (graph.Output.Type?.TensorType?.Shape is not { } declared || declared.Dim.Count == 0) return;
        var dims = declared.Dim;
        bool differs = dims.Count != shape.Length + 1
            || dims.Skip(1).Select((dim, i) => dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue != shape[i]).Any(d => d);
        if (differs)
        {
            string text = string.Join(", ", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam.Length > 0 ? d.DimParam : "?"));
            throw graph.Invalid($"its output '{graph.Output.Name}' is declared [{text}], but its layers give [batch, {string.Join(", ", shape)}]");
        }
    }
}
