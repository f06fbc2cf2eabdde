using System.Buffers.Binary;
using Nabla.Models;

namespace Nabla.Tests.Models;

/// <summary>
/// Flips bytes of a model file's header one at a time: each damaged copy must be refused with a
/// <see cref="ModelFileException"/> or, when the flip leaves a consistent file (padding, a label, a
/// training note, a setting that only shapes training), load a model that passes <c>check</c>.
/// </summary>
internal static class HeaderFlips
{
    /// <summary>Flips every <paramref name="stride"/>-th header byte of <paramref name="path"/> with 0x01 (a digit or letter to its neighbour) and 0x80 (broken UTF-8), writing each copy to <paramref name="scratch"/>.</summary>
    /// <returns>How many damaged copies loaded; the caller checks it is at least one and fewer than all.</returns>
    public static int LoadEach(string path, string scratch, int stride, Action<ModelFile> check)
    {
        byte[] whole = File.ReadAllBytes(path);
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(whole);
        int loads = 0;
        foreach (byte mask in new byte[] { 0x01, 0x80 })
        {
            for (int i = 0; i < dataStart; i += stride)
            {
                byte[] copy = (byte[])whole.Clone();
                copy[i] ^= mask;
                File.WriteAllBytes(scratch, copy);
                ModelFile loaded;
                try
                {
                    loaded = ModelFile.Load(scratch);
                }
                catch (ModelFileException)
                {
                    continue;
                }
                catch (Exception e)
                {
                    Assert.Fail($"flipping byte {i} with 0x{mask:X2} gave {e.GetType().Name}: {e.Message}");
                    throw;
                }
                loads++;
                check(loaded);
            }
        }
        return loads;
    }

    /// <summary>The number of header bytes of <paramref name="path"/>, the length prefix included.</summary>
    public static int HeaderLength(string path) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
}
