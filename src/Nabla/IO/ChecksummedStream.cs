namespace Nabla.IO;

/// <summary>
/// A read-only stream that passes another through and keeps the CRC-32 and the count of the bytes
/// read: what a gzip file's trailer records about its data, to be compared with it at the end.
/// </summary>
internal sealed class ChecksummedStream(Stream inner) : ForwardOnlyStream
{
    /// <summary>The CRC-32 of the bytes read so far.</summary>
    public uint Crc { get; private set; }

    /// <summary>The number of bytes read so far.</summary>
    public long Count { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Crc = Crc32.Append(Crc, buffer[..n]);
        Count += n;
        return n;
    }
}
