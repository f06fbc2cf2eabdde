using System.Buffers.Binary;
using System.IO.Compression;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of
/// dimensions, each dimension as a big-endian 32-bit integer, then the values, big-endian, row-major.
/// Files may be gzip-compressed (detected from their first bytes, not their name).
/// </summary>
/// <remarks>
/// The reader trusts nothing: the magic number, the type code, the dimension count and sizes are
/// checked, and the data must be exactly as long as the dimensions say; anything else is an
/// <see cref="InvalidDataException"/> naming the file and what was wrong. Values are converted
/// while they are read, so no second copy of a large file is held.
/// </remarks>
/// <example><c>var labels = Idx.Read("train-labels-idx1-ubyte.gz", DType.Int32);</c></example>
public static class Idx
{
    private const int MaxDimensions = 16;

    // A gzip file ends with the CRC-32 and the length of its data, 4 bytes each.
    private const int GzipTrailerLength = 8;

    // Deflate codes at most 258 bytes in one symbol of at least two bits, so no stream expands more than about 1032 times.
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an IDX file into a tensor of <paramref name="dtype"/>, with the file's dimensions as its shape.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="dtype">The element type of the result: Float32 (images, unscaled: 0…255 for bytes), Float64, or Int32 (labels).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file; the message says why.</exception>
    public static Tensor Read(string path, DType dtype = DType.Float32) => Read(path, dtype, out _);

    /// <summary>Reads an IDX file as <see cref="Read(string, DType)"/> and gives its element type code (0x08 for unsigned bytes, ...).</summary>
    internal static Tensor Read(string path, DType dtype, out byte typeCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        return Read(file, dtype, path, out typeCode);
    }

    /// <summary>Reads IDX data from a stream (raw or gzip-compressed); <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is not valid IDX; the message says why.</exception>
    public static Tensor Read(Stream stream, DType dtype, string name) => Read(stream, dtype, name, out _);

    private static Tensor Read(Stream stream, DType dtype, string name, out byte typeCode)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // What a file holds bounds what it may make us allocate; a pipe gives no such bound.
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;
        byte[]? trailer = available >= GzipTrailerLength ? LastBytes(stream, GzipTrailerLength) : null;
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> head = stackalloc byte[4];
        int got = buffered.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        Stream input = buffered;
        bool gzip = got >= 2 && head[0] == 0x1F && head[1] == 0x8B;
        ChecksummedStream? decompressed = null;
        if (gzip)
        {
            // Put the 4 bytes back by re-reading: a seekable stream rewinds; otherwise they are prepended.
            input = decompressed = new ChecksummedStream(new GZipStream(new PrefixedStream(head[..got].ToArray(), buffered), CompressionMode.Decompress));
            got = ReadFully(input, head, name);
        }
        if (got < 4) throw Invalid(name, $"it is {got} bytes long, too short for the 4-byte IDX magic number");
        if (head[0] != 0 || head[1] != 0)
            throw Invalid(name, $"the magic number starts with 0x{head[0]:X2}{head[1]:X2}, not 0x0000: not an IDX file");
        var type = IdxType.FromCode(head[2]) ?? throw Invalid(name, $"unknown element type code 0x{head[2]:X2} (known: 0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)");
        typeCode = type.Code;
        int rank = head[3];
        if (rank is 0 or > MaxDimensions) throw Invalid(name, $"it declares {rank} dimensions; expected 1 to {MaxDimensions}");

        var shape = new int[rank];
        Span<byte> word = stackalloc byte[4];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            if (ReadFully(input, word, name) < 4) throw Invalid(name, $"the header ends before dimension {d + 1} of {rank}");
            uint size = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (size > int.MaxValue) throw Invalid(name, $"dimension {d + 1} is {size}, too large");
            shape[d] = (int)size;
            count *= size;
            if (count > Array.MaxLength) throw Invalid(name, $"the dimensions [{string.Join(", ", shape[..(d + 1)])}] hold more values than one array can");
        }
        if (!Enum.IsDefined(dtype)) throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown DType.");
        if (available is { } length) CheckLength(name, shape, count * type.Size, length, gzip, headerBytes: 4 + 4 * rank);

        var result = Tensor.Zeros(shape, dtype);
        ReadValues(input, type, result, name);
        if (ReadFully(input, word[..1], name) > 0)
            throw Invalid(name, $"there is data after the {count} values that the dimensions [{string.Join(", ", shape)}] describe");
        if (decompressed is not null && trailer is not null) CheckGzipTrailer(name, trailer, decompressed);
        return result;
    }

    /// <summary>The last <paramref name="count"/> bytes of a seekable stream, which is left where it was.</summary>
    private static byte[] LastBytes(Stream stream, int count)
    {
        long position = stream.Position;
        stream.Seek(-count, SeekOrigin.End);
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        stream.Position = position;
        return bytes;
    }

    /// <summary>
    /// The decompressor stops quietly where the compressed data stops, and skips what follows it, so a
    /// file cut inside its trailer or with bytes after it would pass. A gzip file ends with the CRC-32
    /// and the length (modulo 2^32) of its data: both must match what was decompressed.
    /// </summary>
    private static void CheckGzipTrailer(string name, byte[] trailer, ChecksummedStream decompressed)
    {
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
        if (crc != decompressed.Crc || length != (uint)decompressed.Count)
            throw Invalid(name, "its last 8 bytes are not the gzip trailer of its data (the CRC-32 and length of the decompressed bytes): the file is cut short, has bytes after its compressed data, or is damaged");
    }

    /// <summary>
    /// Refuses dimensions that need more data than the file can hold, before the tensor for them is
    /// allocated: a header of a few bytes could otherwise claim gigabytes.
    /// </summary>
    private static void CheckLength(string name, int[] shape, long needed, long fileLength, bool gzip, long headerBytes)
    {
        string dimensions = string.Join(", ", shape);
        if (!gzip && needed > fileLength - headerBytes)
            throw Invalid(name, $"it is truncated: the dimensions [{dimensions}] need {needed} bytes of data, the file has {fileLength - headerBytes}");
        if (gzip && needed > fileLength * MaxDeflateRatio)
            throw Invalid(name, $"it is truncated: the dimensions [{dimensions}] need {needed} bytes of data, more than its {fileLength} compressed bytes can hold");
    }

    /// <summary>Reads the values chunk by chunk, converting each into the tensor's element type.</summary>
    private static void ReadValues(Stream input, IdxType type, Tensor result, string name)
    {
        long total = result.Length;
        var chunk = new byte[type.Size * 16384];
        long done = 0;
        while (done < total)
        {
            int values = (int)Math.Min(total - done, chunk.Length / type.Size);
            int bytes = ReadFully(input, chunk.AsSpan(0, values * type.Size), name);
            if (bytes < values * type.Size)
                throw Invalid(name, $"it is truncated: the dimensions [{string.Join(", ", result.Shape)}] need {total * type.Size} bytes of data, the file has {done * type.Size + bytes}");
            for (int i = 0; i < values; i++)
            {
                double v = type.Decode(chunk.AsSpan(i * type.Size, type.Size));
                long at = done + i;
                switch (result.DType)
                {
                    case DType.Float32: result.Float32Data[at] = (float)v; break;
                    case DType.Float64: result.Float64Data[at] = v; break;
                    default:
                        if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                            throw Invalid(name, $"value {v} at position {at} is not an integer, so it cannot be read as Int32");
                        result.Int32Data[at] = (int)v;
                        break;
                }
            }
            done += values;
        }
    }

    private static int ReadFully(Stream input, Span<byte> buffer, string name)
    {
        try
        {
            return input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(name, $"its gzip compression is corrupt ({e.Message})");
        }
    }

    private static InvalidDataException Invalid(string name, string why) => new($"{name}: not a valid IDX file: {why}.");
}
