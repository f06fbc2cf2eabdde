using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Nabla.Onnx.Tests.Import;

/// <summary>ONNX Runtime as the reference for hand-built graphs: what a model computes for an input, by the runtime that serves ONNX models.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The first output of <paramref name="model"/> for a Float32 <paramref name="input"/> given to its input <paramref name="inputName"/>.</summary>
    public static Tensor Run(byte[] model, string inputName, Tensor input)
    {
        using var session = new InferenceSession(model);
        var data = new DenseTensor<float>(input.ToArray<float>(), [.. input.Shape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, data)]);
        var output = results.First().AsTensor<float>();
        return Tensor.FromArray(output.ToArray(), [.. output.Dimensions]);
    }
}
