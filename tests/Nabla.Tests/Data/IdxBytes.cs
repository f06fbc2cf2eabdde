using System.IO.Compression;

namespace Nabla.Tests.Data;

/// <summary>Hand-made IDX files for tests: a header for any element type and sizes, and gzip compression.</summary>
internal static class IdxBytes
{
    /// <summary>The magic number (type code, dimension count) and the big-endian dimension sizes.</summary>
    public static byte[] Header(byte type, params int[] dims)
    {
        var header = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return [.. header];
    }

    /// <summary><paramref name="data"/> gzip-compressed.</summary>
    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }
}
