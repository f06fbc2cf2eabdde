using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// A layer recognised in an ONNX graph: the nodes it is made of (one, or a pattern such as GELU's erf form or a
/// recurrent layer with its shape plumbing), the value it reads and the value it writes, and how to build its
/// Nabla module once the per-sample shape reaching it is known.
/// </summary>
/// <param name="Input">The value the layer reads: the previous layer's output, or the graph's input.</param>
/// <param name="Output">The value the layer writes.</param>
/// <param name="Nodes">Every node that belongs to the layer; no value they write but <paramref name="Output"/> may be read outside it.</param>
/// <param name="Build">The module (null for a layer that changes nothing at inference, such as Dropout) and the per-sample output shape, from the per-sample input shape.</param>
internal sealed record MatchedLayer(string Input, string Output, IReadOnlyList<NodeProto> Nodes, Func<int[], BuiltLayer> Build);
