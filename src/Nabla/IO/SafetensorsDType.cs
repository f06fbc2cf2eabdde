namespace Nabla.IO;

/// <summary>The safetensors names and sizes of Nabla's element types.</summary>
internal static class SafetensorsDType
{
    /// <summary>"F32", "F64" or "I32".</summary>
    public static string NameOf(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown DType."),
    };

    /// <summary>The element type a safetensors dtype name loads as, or null when Nabla has none.</summary>
    public static DType? FromName(string name) => name switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I32" => DType.Int32,
        _ => null,
    };

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(DType dtype) => dtype == DType.Float64 ? 8 : 4;
}
