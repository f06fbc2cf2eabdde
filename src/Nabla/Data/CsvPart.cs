using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Where part r of N of a CSV file lies, in bytes: the data after the header cut into N nearly equal
/// byte ranges, each boundary moved forward to just after the next line feed, so every row falls in
/// exactly one part and the parts together are the whole file. Each process of a distributed job
/// reads only its own part (<see cref="Csv.ReadPart"/>).
/// </summary>
internal static class CsvPart
{
    /// <summary>The header's bytes (up to and including its line feed) and the byte range [Start, End) of part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public static (byte[] Header, long Start, long End) Locate(FileStream file, int part, int parts)
    {
        long headerEnd = NextLineStart(file, 0);
        var header = new byte[headerEnd];
        file.Position = 0;
        file.ReadExactly(header);
        long data = file.Length - headerEnd;
        long Boundary(int r) => r == 0 ? headerEnd : r == parts ? file.Length : NextLineStart(file, headerEnd + (long)(data * (double)r / parts));
        return (header, Boundary(part), Boundary(part + 1));
    }

    /// <summary>The bytes [start, end) of the file, read forward.</summary>
    public static Stream Range(FileStream file, long start, long end) => new RangeStream(file, start, end);

    /// <summary>The first offset at or after <paramref name="offset"/> that starts a line: <paramref name="offset"/> itself when the byte before it is a line feed.</summary>
    private static long NextLineStart(FileStream file, long offset)
    {
        if (offset == 0) offset = 1;   // the header starts the file; its end is after its line feed
        file.Position = offset - 1;
        var buffer = new byte[1 << 16];
        while (true)
        {
            int n = file.Read(buffer);
            if (n == 0) return file.Length;
            int lineFeed = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (lineFeed >= 0) return file.Position - n + lineFeed + 1;
        }
    }

    private sealed class RangeStream(FileStream file, long start, long end) : ForwardOnlyStream
    {
        private long _position = start;

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, end - _position);
            if (n <= 0) return 0;
            file.Position = _position;
            n = file.Read(buffer[..n]);
            _position += n;
            return n;
        }
    }
}
