namespace Nabla.IO;

/// <summary>
/// The CRC-32 of gzip, zip and PNG (ISO 3309, reflected polynomial 0xEDB88320), computed eight bytes
/// at a time ("slicing-by-8"), which runs at a few bytes a cycle: fast enough to check a file as it is read.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320;

    // Tables[k][b]: the CRC of byte b followed by k zero bytes.
    private static readonly uint[][] Tables = BuildTables();

    /// <summary>The CRC-32 of <paramref name="crc"/>'s data followed by <paramref name="data"/>; start from 0.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        var t = Tables;
        while (data.Length >= 8)
        {
            uint low = c ^ (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            c = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24]
                ^ t[3][data[4]] ^ t[2][data[5]] ^ t[1][data[6]] ^ t[0][data[7]];
            data = data[8..];
        }
        foreach (byte b in data) c = t[0][(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++) tables[k] = new uint[256];
        for (uint b = 0; b < 256; b++)
        {
            uint c = b;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            tables[0][b] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int b = 0; b < 256; b++)
                tables[k][b] = tables[0][tables[k - 1][b] & 0xFF] ^ (tables[k - 1][b] >> 8);
        return tables;
    }
}
