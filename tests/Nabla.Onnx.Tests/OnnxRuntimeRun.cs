using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;

namespace Nabla.Onnx.Tests;

/// <summary>
/// Runs an ONNX model in ONNX Runtime, as a server would: the raw cells of a CSV table fed as the graph's inputs
/// (number columns Float [N, 1] with NaN for a missing cell, text columns String [N, 1]), every output read back.
/// </summary>
internal static class OnnxRuntimeRun
{
    /// <summary>The outputs of the model in <paramref name="bytes"/> for <paramref name="inputs"/>, by name, with the graph optimised at <paramref name="level"/>.</summary>
    public static Dictionary<string, object> Run(byte[] bytes, IReadOnlyList<NamedOnnxValue> inputs, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level };
        using var session = new InferenceSession(bytes, options);
        using var results = session.Run(inputs);
        var outputs = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var result in results)
            outputs[result.Name] = result.ElementType == TensorElementType.String
                ? result.AsTensor<string>().ToArray()
                : (object)result.AsTensor<float>().ToArray();
        return outputs;
    }

    /// <summary>The first output of <paramref name="bytes"/> for a Float32 <paramref name="input"/> given to its input <paramref name="inputName"/>.</summary>
    public static Tensor RunOne(byte[] bytes, string inputName, Tensor input)
    {
        using var session = new InferenceSession(bytes);
        var data = new DenseTensor<float>(input.ToArray<float>(), [.. input.Shape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, data)]);
        var output = results.First().AsTensor<float>();
        return Tensor.FromArray(output.ToArray(), [.. output.Dimensions]);
    }

    /// <summary>The custom metadata of the model in <paramref name="bytes"/>, as ONNX Runtime reads it.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(byte[] bytes)
    {
        using var session = new InferenceSession(bytes);
        return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
    }

    /// <summary>The graph's declared inputs, by name: element type and shape (-1 for a symbolic dimension).</summary>
    public static IReadOnlyDictionary<string, (Type Type, int[] Shape)> Inputs(byte[] bytes)
    {
        using var session = new InferenceSession(bytes);
        return session.InputMetadata.ToDictionary(pair => pair.Key, pair => (pair.Value.ElementType, pair.Value.Dimensions));
    }

    /// <summary>The columns of <paramref name="table"/> that <paramref name="preprocessor"/> reads, as the graph's inputs, rows <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static List<NamedOnnxValue> Columns(CsvTable table, TabularPreprocessor preprocessor, int from = 0, int? to = null)
    {
        int end = to ?? table.RowCount, rows = end - from;
        var inputs = new List<NamedOnnxValue>();
        foreach (var feature in preprocessor.Features)
        {
            var column = table[feature.Name];
            if (feature.IsNumeric)
            {
                var values = new float[rows];
                for (int i = 0; i < rows; i++) values[i] = (float)column.Numbers[from + i];
                inputs.Add(NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<float>(values, [rows, 1])));
            }
            else
            {
                var texts = new string[rows];
                for (int i = 0; i < rows; i++) texts[i] = column.IsNumeric ? column.Numbers[from + i].ToString("R", System.Globalization.CultureInfo.InvariantCulture) : Cell(column, from + i);
                inputs.Add(NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<string>(texts, [rows, 1])));
            }
        }
        return inputs;
    }

    private static string Cell(CsvColumn column, int row) => column.Codes[row] < 0 ? "" : column.Categories[column.Codes[row]];
}
