using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Nabla.Cli.Tests;

/// <summary>
/// Reads a .safetensors file's header as any other reader would, by the published layout (an 8-byte
/// little-endian header length, then the JSON header), without the library, so the test checks the
/// file itself rather than the library reading back its own writing.
/// </summary>
internal sealed class SafetensorsHeader
{
    private SafetensorsHeader(Dictionary<string, (string DType, int[] Shape)> tensors, Dictionary<string, string> metadata, Dictionary<string, byte[]> data) =>
        (Tensors, Metadata, Data) = (tensors, metadata, data);

    /// <summary>Each tensor's element type and shape, by name.</summary>
    public IReadOnlyDictionary<string, (string DType, int[] Shape)> Tensors { get; }

    /// <summary>The string metadata of the header.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Each tensor's raw little-endian bytes, by name.</summary>
    public IReadOnlyDictionary<string, byte[]> Data { get; }

    /// <summary>Reads the header and checks that the tensors' byte ranges tile the data that follows it exactly.</summary>
    public static SafetensorsHeader Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        Assert.InRange(headerLength, 2, file.Length - 8);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength));
        var tensors = new Dictionary<string, (string, int[])>();
        var metadata = new Dictionary<string, string>();
        var ranges = new List<(long Begin, long End)>();
        var data = new Dictionary<string, byte[]>();
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var item in entry.Value.EnumerateObject()) metadata[item.Name] = item.Value.GetString()!;
                continue;
            }
            string dtype = entry.Value.GetProperty("dtype").GetString()!;
            int[] shape = [.. entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            long[] offsets = [.. entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64())];
            // Networks are written in Float32, the estimators in Float64 (with Int32 ids and counts).
            long elementSize = dtype switch { "F32" or "I32" => 4, "F64" => 8, _ => throw new InvalidDataException($"{path}: tensor '{entry.Name}' has dtype {dtype}") };
            Assert.Equal(shape.Aggregate(elementSize, (bytes, d) => bytes * d), offsets[1] - offsets[0]);
            tensors[entry.Name] = (dtype, shape);
            ranges.Add((offsets[0], offsets[1]));
            data[entry.Name] = file[(int)(8 + headerLength + offsets[0])..(int)(8 + headerLength + offsets[1])];
        }
        long expected = 0;
        foreach (var (begin, end) in ranges.OrderBy(r => r.Begin))
        {
            Assert.Equal(expected, begin);
            expected = end;
        }
        Assert.Equal(file.Length - 8 - headerLength, expected);
        return new SafetensorsHeader(tensors, metadata, data);
    }
}
