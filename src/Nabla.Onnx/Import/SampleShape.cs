namespace Nabla.Onnx.Import;

/// <summary>Per-sample shapes (no batch axis) as the import's messages write them and its checks count them.</summary>
internal static class SampleShape
{
    /// <summary>"[1, 8, 8]".</summary>
    public static string Format(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>"[1, 8, 8]" for ONNX's 64-bit dimensions.</summary>
    public static string Format(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The number of values of one sample, or null when it is more than one tensor holds.</summary>
    public static int? Count(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
            if ((count *= d) > Array.MaxLength) return null;
        return (int)count;
    }
}
