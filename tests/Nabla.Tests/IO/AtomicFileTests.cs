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
    public void TemporariesAKilledWriterLeft_AreRemovedByTheNextWrite_AndNothingElse()
    {
        string path = PathOf("out.txt");
        string Temporary(string file) => PathOf($".{file}.{Guid.NewGuid():N}.tmp");
        string stale = Temporary("out.txt"), anotherStale = Temporary("out.txt");
        string fresh = Temporary("out.txt"), otherFiles = Temporary("other.txt"), held = Temporary("out.txt");
        string notOurs = PathOf(".out.txt.backup.tmp");
        foreach (string file in new[] { stale, anotherStale, fresh, otherFiles, held, notOurs }) File.WriteAllBytes(file, []);
        var beforeThisProcess = DateTime.UtcNow - TimeSpan.FromDays(1);
        foreach (string file in new[] { stale, anotherStale, otherFiles, held, notOurs }) File.SetLastWriteTimeUtc(file, beforeThisProcess);

        // A writer that is still alive holds its temporary open and locked.
        using (new FileStream(held, FileMode.Open, FileAccess.Write, FileShare.None))
            AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(new[] { path, fresh, otherFiles, held, notOurs }.Order(StringComparer.Ordinal), Directory.GetFiles(Folder).Order(StringComparer.Ordinal));
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
