using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>
/// <see cref="AtomicFile"/>: a regular file is replaced whole by a rename; a device is written into,
/// never replaced (renaming over /dev/null as root destroyed it), and a device that refuses the bytes
/// is an error naming it.
/// </summary>
public sealed class AtomicFileTests : TemporaryFolder
{
    [Fact]
    public void RegularFile_IsReplacedWhole_AndNoTemporaryIsLeft()
    {
        string path = PathOf("out.txt");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Folder));
    }

    [Fact]
    public void FailedWrite_LeavesTheOldFileAndNoTemporary()
    {
        string path = PathOf("out.txt");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("boom")));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Folder));
    }

    [Fact]
    public void Devices_AreTold_FromRegularFilesAndFolders()
    {
        File.WriteAllText(PathOf("regular"), "");
        Assert.False(SpecialFile.Is(PathOf("regular")));
        Assert.False(SpecialFile.Is(Folder));
        Assert.False(SpecialFile.Is(PathOf("absent")));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(SpecialFile.Is("/dev/null"));
            Assert.True(SpecialFile.Is("/dev/full"));
        }
    }

    [Fact]
    public void FullDevice_IsWrittenInto_AndItsRefusalNamesIt()
    {
        if (!OperatingSystem.IsLinux()) return;

        var error = Assert.Throws<IOException>(() => AtomicFile.Write("/dev/full", stream => stream.Write(new byte[100_000])));

        Assert.Contains("/dev/full", error.Message);
        Assert.True(SpecialFile.Is("/dev/full"));
    }
}
