using System.Buffers.Binary;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>
/// The safetensors reader and writer: a file written from the specification by an independent
/// script, round trips of every dtype, and every kind of corrupted, truncated or hostile file.
/// </summary>
public sealed class SafetensorsTests : TemporaryFolder
{
    [Fact]
    public void ReferenceFile_FromTheSpecification_IsReadExactly()
    {
        var content = Safetensors.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference.safetensors"));

        Assert.Equal(["layer.weight", "layer.bias", "labels", "scalar", "empty"], content.Tensors.Keys);   // data order
        Assert.Equal([2, 3], content.Tensors["layer.weight"].Shape);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], content.Tensors["layer.weight"].ToArray<float>());
        Assert.Equal([-1.5, 2.25], content.Tensors["layer.bias"].ToArray<double>());
        Assert.Equal([3, -7, 0, int.MaxValue], content.Tensors["labels"].ToArray<int>());
        Assert.Equal(DType.Int32, content.Tensors["labels"].DType);
        Assert.Equal(0, content.Tensors["scalar"].Rank);
        Assert.Equal(0.1, content.Tensors["scalar"].ToArray<double>()[0]);
        Assert.Equal([0, 4], content.Tensors["empty"].Shape);
        Assert.Equal("pt", content.Metadata["format"]);
        Assert.Equal("Ωmega ✓", content.Metadata["note"]);
    }

    [Fact]
    public void RoundTrip_KeepsNamesOrderValuesAndMetadata()
    {
        var g = new Generator(5);
        var tensors = new Dictionary<string, Tensor>
        {
            ["b"] = Tensor.Randn([3, 4, 5], g),
            ["a"] = Tensor.Randn([7], g, DType.Float64),
            ["ids"] = Tensor.FromArray([1, 2, 3], [3]),
            ["nothing"] = Tensor.Zeros([0]),
        };
        var metadata = new Dictionary<string, string> { ["architecture"] = "{\"layers\":[4,8,1]}", ["version"] = "1.0" };
        string path = PathOf("model.safetensors");

        Safetensors.Write(path, tensors, metadata);
        var read = Safetensors.Read(path);

        Assert.Equal(tensors.Keys, read.Tensors.Keys);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, read.Tensors[name].Shape);
            Assert.Equal(t.DType, read.Tensors[name].DType);
        }
        Assert.Equal(tensors["b"].ToArray<float>(), read.Tensors["b"].ToArray<float>());
        Assert.Equal(tensors["a"].ToArray<double>(), read.Tensors["a"].ToArray<double>());
        Assert.Equal(metadata, read.Metadata);
        // The header is padded so the data starts on an 8-byte boundary, as the reference writer does.
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)) % 8);
        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
    }

    [Fact]
    public void Write_ReplacesAtomically_AndAFailedWriteLeavesTheOldFile()
    {
        string path = PathOf("model.safetensors");
        Safetensors.Write(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones([2]) });
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => Safetensors.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones([2]) }));
        Assert.Throws<InvalidOperationException>(() => Safetensors.Write(path, FailsHalfway()));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([PathOf("model.safetensors")], Directory.GetFiles(Folder));

        static IEnumerable<KeyValuePair<string, Tensor>> FailsHalfway()
        {
            yield return new("w", Tensor.Zeros([1000]));
            throw new InvalidOperationException("the model could not be read");
        }
    }

    public static TheoryData<string, byte[], string> BrokenFiles()
    {
        var data = new TheoryData<string, byte[], string>
        {
            { "short", [1, 2, 3], "it is 3 bytes long, too short for the 8-byte header length" },
            { "huge header", [.. Length(200_000_000)], "the header length is 200000000 bytes, above the limit of 100000000" },
            { "truncated header", [.. Length(100), .. "{}"u8], "the header length is 100 bytes but only 2 follow: the file is truncated" },
            { "not json", FileOf("{\"a\": ", []), "the header is not valid JSON" },
            { "not utf-8", [.. Length(4), .. "{\""u8, 0xC3, .. "\""u8], "the header is not valid UTF-8 text" },
            { "array", FileOf("[1, 2]", []), "the header is a JSON Array, not an object" },
            { "dtype", FileOf("{\"a\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[2]), "tensor \"a\" has dtype BF16, which Nabla cannot load" },
            { "no shape", FileOf("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "tensor \"a\" has no \"shape\" array" },
            { "negative shape", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "dimension 0 is not a non-negative integer" },
            { "size", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "needs 12 bytes, but its data_offsets [0, 8] hold 8" },
            { "offsets", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]), "needs \"data_offsets\" [begin, end] with 0 <= begin <= end" },
            { "overlap", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "overlaps the tensor before it" },
            { "gap", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "there is a gap in the data before \"a\" (bytes 0 to 4)" },
            { "truncated data", FileOf("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[10]), "the tensors need 16 bytes of data but the file has 10: it is truncated" },
            { "trailing", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[9]), "the file has 5 bytes of data after the last tensor" },
            { "duplicate", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "the header names \"a\" twice" },
            { "metadata", FileOf("{\"__metadata__\":{\"epochs\":5}}", []), "metadata \"epochs\" is a JSON Number; metadata values must be strings" },
            { "offsets as strings", FileOf("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}", new byte[4]), "needs \"data_offsets\" [begin, end] with 0 <= begin <= end" },
            { "lone surrogate in a name", FileOf("{\"\\udc00\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "the header is not valid JSON (a string is not valid Unicode text" },
            { "lone surrogate in metadata", FileOf("{\"__metadata__\":{\"format\":\"nabla\\ud800model\"}}", []), "the header is not valid JSON (a string is not valid Unicode text" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFile_IsAnInvalidDataException_NamingTheProblem(string name, byte[] contents, string problem)
    {
        string path = WriteBytes(name, contents);

        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));

        Assert.StartsWith($"{path}: not a valid safetensors file: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void EveryTruncationOfAValidFile_IsRejected()
    {
        string path = PathOf("model.safetensors");
        Safetensors.Write(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones([3, 3]), ["b"] = Tensor.Ones([3], DType.Float64) },
            new Dictionary<string, string> { ["k"] = "v" });
        byte[] whole = File.ReadAllBytes(path);
        string cut = PathOf("cut.safetensors");

        for (int length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(cut, whole[..length]);
            Assert.Throws<InvalidDataException>(() => Safetensors.Read(cut));
        }
    }

    [Fact]
    public void FlippedBytesInTheHeader_NeverCrash()
    {
        string path = PathOf("model.safetensors");
        Safetensors.Write(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones([2, 2]) });
        byte[] whole = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(whole);
        string corrupt = PathOf("corrupt.safetensors");

        for (int i = 0; i < headerEnd; i++)
        {
            byte[] copy = (byte[])whole.Clone();
            copy[i] ^= 0x5A;
            File.WriteAllBytes(corrupt, copy);
            try
            {
                var content = Safetensors.Read(corrupt);
                // A flip that leaves a valid file (inside a name) must still give a consistent one.
                Assert.All(content.Tensors.Values, t => Assert.Equal(4, t.Length));
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private static byte[] Length(ulong n)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
        return bytes;
    }

    private static byte[] FileOf(string header, byte[] data)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        return [.. Length((ulong)text.Length), .. text, .. data];
    }
}
