using System.Runtime.InteropServices;

namespace Nabla.IO;

/// <summary>
/// Tells a device, a pipe or a socket (<c>/dev/null</c>, <c>/dev/stdout</c>, a named pipe) from a
/// regular file, following symbolic links: such a file must be written into, never replaced, since
/// renaming a new file over it destroys the device node (as root, the system's own).
/// </summary>
/// <remarks>
/// .NET exposes no file type, so this asks the runtime's own native library (System.Native, shipped
/// with every .NET on Linux and macOS) for the stat of the path. Only the first two fields of its
/// status record are read (flags, then the mode with the portable S_IFMT bits), into a buffer far
/// larger than the record, so a runtime whose record grows cannot write past it. Windows has no
/// such files at ordinary paths, and there every existing path counts as regular.
/// </remarks>
public static partial class SpecialFile
{
    private const int FileTypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000;

    /// <summary>Whether <paramref name="path"/> exists and is neither a regular file nor a folder.</summary>
    public static bool Is(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        Span<byte> status = stackalloc byte[512];
        status.Clear();
        try
        {
            if (Stat(path, ref MemoryMarshal.GetReference(status)) != 0) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        int type = BitConverter.ToInt32(status[4..8]) & FileTypeMask;
        return type is not (RegularFile or Directory);
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte status);
}
