using Nabla.NN;

namespace Nabla.Onnx.Import;

/// <summary>A recognised layer as Nabla runs it: its module (null when it is left out, as Dropout and Identity are) and the per-sample shape it gives.</summary>
/// <param name="Module">The module, with the file's weights; null when the layer does nothing at inference.</param>
/// <param name="OutputShape">The per-sample shape of the layer's output (no batch axis).</param>
internal sealed record BuiltLayer(Module? Module, int[] OutputShape);
