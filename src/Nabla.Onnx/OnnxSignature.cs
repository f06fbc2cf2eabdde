namespace Nabla.Onnx;

/// <summary>What an exported ONNX model reads and gives, and how it was written.</summary>
/// <param name="Inputs">The graph's inputs, in order.</param>
/// <param name="Outputs">The graph's outputs, in order.</param>
/// <param name="Opset">The default-domain opset the model declares.</param>
/// <param name="Bytes">The size of the serialised model.</param>
public sealed record OnnxSignature(IReadOnlyList<OnnxValue> Inputs, IReadOnlyList<OnnxValue> Outputs, int Opset, long Bytes);
