using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The IDX reader on the real Fashion-MNIST files, on every element type, and on every kind of broken file.</summary>
public sealed class IdxTests : TemporaryFolder
{
    /// <summary>
    /// The real training set: all 60,000 images when the shared data is next to the checkout,
    /// otherwise the first 100, shipped as a fixture (the same bytes); expected values from NumPy.
    /// </summary>
    [Fact]
    public void FashionMnist_TrainingSet_HasTheKnownShapeLabelsAndPixels()
    {
        const string images = "fashion-mnist/train-images-idx3-ubyte.gz", labelFile = "fashion-mnist/train-labels-idx1-ubyte.gz";
        bool full = SharedData.Has(images) && SharedData.Has(labelFile);
        string Locate(string file) => full ? SharedData.PathOf(file) : Path.Combine(AppContext.BaseDirectory, "Fixtures", file);
        int count = full ? 60000 : 100;

        var labels = Idx.Read(Locate(labelFile), DType.Int32);
        var pixels = Idx.Read(Locate(images));

        Assert.Equal([count], labels.Shape);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], labels.ToArray<int>()[..10]);
        Assert.All(labels.ToArray<int>(), l => Assert.InRange(l, 0, 9));
        Assert.Equal([count, 28, 28], pixels.Shape);
        var values = pixels.ToArray<float>();
        Assert.Equal(new float[] { 0, 0, 0, 193, 228, 218, 213, 198, 180, 212 }, values.AsSpan(10 * 28 + 10, 10).ToArray());
        Assert.Equal(76247.0, values.AsSpan(0, 784).ToArray().Sum(v => (double)v));
        Assert.Equal(full ? 3431114169.0 : 5688570.0, values.Sum(v => (double)v));
    }

    [Fact]
    public void RawAndGzip_ReadTheSame()
    {
        byte[] raw = IdxBytes.Header(0x08, 2, 3).Concat(new byte[] { 1, 2, 3, 4, 5, 255 }).ToArray();
        string rawPath = Write("raw-idx", raw);
        string gzipPath = Write("idx.gz", IdxBytes.Gzip(raw));

        var a = Idx.Read(rawPath, DType.Float64);
        var b = Idx.Read(gzipPath, DType.Float64);

        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 255], a.ToArray<double>());
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
    }

    [Fact]
    public void EveryElementType_IsDecodedBigEndian()
    {
        Assert.Equal([-1, 127, -128], Idx.Read(Write("s8", [.. IdxBytes.Header(0x09, 3), 0xFF, 0x7F, 0x80]), DType.Int32).ToArray<int>());
        Assert.Equal([-2, 258], Idx.Read(Write("i16", [.. IdxBytes.Header(0x0B, 2), 0xFF, 0xFE, 0x01, 0x02]), DType.Int32).ToArray<int>());
        Assert.Equal([16909060], Idx.Read(Write("i32", [.. IdxBytes.Header(0x0C, 1), 1, 2, 3, 4]), DType.Int32).ToArray<int>());
        Assert.Equal([1.5f], Idx.Read(Write("f32", [.. IdxBytes.Header(0x0D, 1), 0x3F, 0xC0, 0, 0])).ToArray<float>());
        Assert.Equal([-2.0], Idx.Read(Write("f64", [.. IdxBytes.Header(0x0E, 1), 0xC0, 0, 0, 0, 0, 0, 0, 0]), DType.Float64).ToArray<double>());
    }

    [Fact]
    public void ALargeFile_IsReadAcrossChunks()
    {
        int n = 100_003;
        var data = new byte[n * 2];
        for (int i = 0; i < n; i++) (data[2 * i], data[2 * i + 1]) = ((byte)(i >> 8), (byte)i);
        var values = Idx.Read(Write("big.gz", IdxBytes.Gzip([.. IdxBytes.Header(0x0B, n), .. data])), DType.Int32).ToArray<int>();

        for (int i = 0; i < n; i++) Assert.Equal((short)(ushort)i, values[i]);
    }

    public static TheoryData<string, byte[], string> BrokenFiles => new()
    {
        { "empty", [], "it is 0 bytes long, too short for the 4-byte IDX magic number" },
        { "csv", "a,b\n1,2\n"u8.ToArray(), "the magic number starts with 0x612C, not 0x0000: not an IDX file" },
        { "type", [0, 0, 0x07, 1, 0, 0, 0, 1, 5], "unknown element type code 0x07" },
        { "rank0", [0, 0, 0x08, 0], "it declares 0 dimensions; expected 1 to 16" },
        { "short header", [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0], "the header ends before dimension 2 of 3" },
        { "truncated", [.. IdxBytes.Header(0x08, 2, 3), 1, 2, 3, 4], "it is truncated: the dimensions [2, 3] need 6 bytes of data, the file has 4" },
        { "trailing", [.. IdxBytes.Header(0x08, 2), 1, 2, 3], "there is data after the 2 values that the dimensions [2] describe" },
        { "huge", [0, 0, 0x08, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF], "dimension 2 is 4294967295, too large" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFile_IsAnInvalidDataException_NamingTheFileAndTheProblem(string name, byte[] contents, string problem)
    {
        string path = Write(name, contents);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.StartsWith($"{path}: not a valid IDX file: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void TruncatedGzip_IsReportedAsTruncatedOrCorrupt()
    {
        byte[] zipped = IdxBytes.Gzip([.. IdxBytes.Header(0x08, 1000), .. new byte[1000]]);
        string path = Write("cut.gz", zipped[..(zipped.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Matches("truncated|corrupt", e.Message);
    }

    public static TheoryData<string, int, string, string> DamagedGzipTrailers => new()
    {
        // The trailer is the CRC-32 of the data, then its length; both must be there.
        { "no length", -4, "", "gzip" },
        { "no trailer", -8, "", "gzip" },
        { "one byte short", -1, "", "gzip" },
        { "garbage after", 0, "garbage", "gzip" },
        { "zeros after", 0, "\0\0\0\0", "gzip" },
        // A second gzip member continues the data, as gunzip reads it.
        { "second member", 0, "gzip", "there is data after the 3 values" },
    };

    [Theory]
    [MemberData(nameof(DamagedGzipTrailers))]
    public void GzipWithItsTrailerCutOrDataAfterIt_IsRefused(string name, int cut, string after, string problem)
    {
        byte[] zipped = IdxBytes.Gzip([.. IdxBytes.Header(0x08, 3), 1, 2, 3]);
        byte[] extra = after == "gzip" ? IdxBytes.Gzip([7]) : System.Text.Encoding.ASCII.GetBytes(after);
        string path = Write(name + ".gz", [.. zipped[..(zipped.Length + cut)], .. extra]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.StartsWith($"{path}: not a valid IDX file: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void GzipWithAWrongChecksum_IsRefused()
    {
        byte[] zipped = IdxBytes.Gzip([.. IdxBytes.Header(0x08, 3), 1, 2, 3]);
        zipped[^8] ^= 0xFF;
        string path = Write("crc.gz", zipped);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains("gzip", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DimensionsTheFileCannotHold_AreRefusedBeforeAllocating(bool gzip)
    {
        // 60000 × 28 × 28 bytes claimed (188 MB as Float32), 10 bytes of data given.
        byte[] raw = [.. IdxBytes.Header(0x08, 60000, 28, 28), .. new byte[10]];
        string path = Write(gzip ? "claims.gz" : "claims", gzip ? IdxBytes.Gzip(raw) : raw);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("it is truncated: the dimensions [60000, 28, 28] need 47040000 bytes of data", e.Message);
        Assert.InRange(allocated, 0, 4_000_000);
    }

    [Fact]
    public void NonIntegerValues_CannotBeReadAsInt32()
    {
        string path = Write("f32", [.. IdxBytes.Header(0x0D, 1), 0x3F, 0xC0, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path, DType.Int32));

        Assert.Contains("value 1.5 at position 0 is not an integer", e.Message);
    }

    [Fact]
    public void MissingFile_NamesThePath()
    {
        string path = PathOf("absent.gz");

        var e = Assert.Throws<FileNotFoundException>(() => Idx.Read(path));

        Assert.Contains(path, e.Message);
    }

    private string Write(string name, byte[] contents) => WriteBytes(name, contents);
}
