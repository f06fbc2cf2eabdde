using System.IO.Compression;
using Nabla.IO;

namespace Nabla.Tests.IO;

public sealed class Crc32Tests
{
    [Fact]
    public void TheCheckValue_OfTheStandard()
    {
        // The check value of CRC-32/ISO-HDLC, the CRC of gzip, zip and PNG.
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8));
        Assert.Equal(0u, Crc32.Append(0, []));
    }

    [Fact]
    public void MatchesTheTrailerGzipWrites_ForEveryLengthAndSplit()
    {
        var random = new Random(7);
        for (int length = 1; length < 40; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
            uint written = BitConverter.ToUInt32(output.ToArray()[^8..^4]);

            Assert.Equal(written, Crc32.Append(0, data));
            for (int split = 0; split <= length; split++)
                Assert.Equal(written, Crc32.Append(Crc32.Append(0, data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
