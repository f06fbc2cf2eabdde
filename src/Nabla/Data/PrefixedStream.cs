using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// A read-only stream that yields some bytes already read from another stream, then the rest of
/// it: how a format is sniffed from its first bytes on a stream that cannot seek back.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ForwardOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        return rest.Read(buffer);
    }
}
