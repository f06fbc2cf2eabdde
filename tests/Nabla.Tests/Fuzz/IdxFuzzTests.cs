using Nabla.Data;
using Nabla.Tests.Data;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// Damaged and crafted IDX files, raw and gzip-compressed (the Fashion-MNIST excerpt's labels, and
/// hand-made images): refused with a message naming the file, or read, within the time bound and an
/// allocation bound set by the file's size.
/// </summary>
public sealed class IdxFuzzTests : TemporaryFolder
{
    private const int CasesPerSeed = 400;

    public static TheoryData<string> Seeds() => ["images", "labels", "images.gz", "labels.gz"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DamagedFiles_AreRefusedOrRead_WithinBounds(string seed)
    {
        byte[] raw = seed.StartsWith("images", StringComparison.Ordinal)
            ? [.. IdxBytes.Header(0x08, 5, 4, 3), .. Enumerable.Range(0, 60).Select(i => (byte)(i * 7))]
            : [.. IdxBytes.Header(0x08, 12), .. Enumerable.Range(0, 12).Select(i => (byte)(i % 10))];
        byte[] valid = seed.EndsWith(".gz", StringComparison.Ordinal) ? IdxBytes.Gzip(raw) : raw;
        var mutator = new Mutator(seed.Length);
        string path = PathOf("case");
        int accepted = 0;
        for (int i = 0; i < CasesPerSeed; i++)
        {
            byte[] contents = mutator.Bytes(valid, 16);
            File.WriteAllBytes(path, contents);
            // A gzip stream expands at most about 1032 times; the values become 4-byte floats.
            bool read = HostileInput.Check($"{seed} #{i}", path, 8L * 1032 * contents.Length + (4 << 20), () => Idx.Read(path), typeof(InvalidDataException));
            accepted += read ? 1 : 0;
        }

        // A changed pixel or label is still a valid file; a changed header or length is not.
        Assert.InRange(accepted, seed.EndsWith(".gz", StringComparison.Ordinal) ? 0 : 1, CasesPerSeed - 1);
    }
}
