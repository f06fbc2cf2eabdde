namespace Nabla.IO;

/// <summary>
/// Writes a file so that readers see the old contents or the new ones, never a part: the bytes go to a
/// temporary file in the same folder (so the rename stays on one file system), then replace the file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> puts in the stream; on failure the old file is left as it was.</summary>
    /// <exception cref="IOException">The file could not be written, or <paramref name="write"/> failed (its exception passes through).</exception>
    /// <remarks>
    /// A device or a pipe at <paramref name="path"/> (<c>/dev/null</c>, <c>/dev/stdout</c>, a named pipe) is
    /// written into instead, since replacing it would destroy it; such a write cannot be atomic, and a
    /// device that refuses the bytes (<c>/dev/full</c>) gives an <see cref="IOException"/> naming it.
    /// </remarks>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        if (SpecialFile.Is(full))
        {
            WriteInto(full, write);
            return;
        }
        string folder = Path.GetDirectoryName(full)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void WriteInto(string device, Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(device, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(stream);
            stream.Flush();
        }
        catch (IOException e) when (!e.Message.Contains(device, StringComparison.Ordinal))
        {
            throw new IOException($"{device}: {e.Message}", e);
        }
    }
}
