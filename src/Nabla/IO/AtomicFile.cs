using System.Diagnostics;

namespace Nabla.IO;

/// <summary>
/// Writes a file so that readers see the old contents or the new ones, never a part: the bytes go to a
/// temporary file in the same folder (so the rename stays on one file system), then replace the file.
/// </summary>
/// <remarks>
/// A process killed during a write (SIGKILL, power loss) leaves its temporary file behind. Each write
/// first removes the temporaries of the same file that such a process left: those named as this class
/// names them, last written before this process started, and open in no other process (a writer holds
/// its temporary locked until it is renamed), so a concurrent writer's file is never touched.
/// </remarks>
public static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    // Temporaries last written after this are this process's own, or a live concurrent writer's.
    private static readonly DateTime ProcessStart = StartOfThisProcess();

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
        RemoveStaleTemporaries(folder, Path.GetFileName(full));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{TemporarySuffix}");
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

    /// <summary>Deletes the temporaries of <paramref name="fileName"/> that a killed writer left in <paramref name="folder"/>.</summary>
    private static void RemoveStaleTemporaries(string folder, string fileName)
    {
        string prefix = $".{fileName}.";
        // Names starting with a dot count as hidden, which enumeration skips by default.
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, "*" + TemporarySuffix, options).ToList();
        }
        catch (IOException)
        {
            return; // The write that follows reports a folder that cannot be used.
        }
        foreach (string candidate in candidates)
        {
            string name = Path.GetFileName(candidate);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !IsGuid(name[prefix.Length..^TemporarySuffix.Length])) continue;
            try
            {
                if (File.GetLastWriteTimeUtc(candidate) >= ProcessStart) continue;
                // The lock fails while its writer still has it open.
                using var stale = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None);
                File.Delete(candidate);
            }
            catch (IOException)
            {
                // In use, or already gone: not ours to remove now.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's file: left alone.
            }
        }
    }

    private static DateTime StartOfThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return process.StartTime.ToUniversalTime();
    }

    private static bool IsGuid(string text) => text.Length == 32 && text.All(char.IsAsciiHexDigitLower);

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
