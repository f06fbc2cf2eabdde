using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Dashboard.Tests;

/// <summary>How the dashboard finds runs: the folder itself and two levels down, hidden folders skipped, the count capped.</summary>
public sealed class RunCatalogTests : TemporaryFolder
{
    private void Log(string relative)
    {
        string folder = Directory.CreateDirectory(Path.Combine(Folder, relative)).FullName;
        File.WriteAllText(Path.Combine(folder, RunLog.FileName), "");
    }

    [Fact]
    public void Find_NamesRunsByTheirPathInTheFolder_InOrder_SkippingHiddenAndDeeperOnes()
    {
        Log("b");
        Log("a");
        Log("tune/trial-2");
        Log("tune/trial-10");
        Log(".hidden");
        Log("x/.hidden");
        Log("one/two/three");
        Directory.CreateDirectory(PathOf("empty"));

        var runs = RunCatalog.Find(Folder, out bool truncated);

        Assert.Equal(["a", "b", "tune/trial-10", "tune/trial-2"], runs.Select(run => run.Name));
        Assert.Equal(Path.Combine(Folder, "tune", "trial-2", RunLog.FileName), runs[3].LogPath);
        Assert.False(truncated);
    }

    [Fact]
    public void Find_ALogInTheFolderItself_IsARunNamedAfterTheFolder()
    {
        File.WriteAllText(PathOf(RunLog.FileName), "");

        var run = Assert.Single(RunCatalog.Find(Folder, out _));

        Assert.Equal(Path.GetFileName(Folder), run.Name);
    }

    [Fact]
    public void Find_ASubfolderNamedAsTheFolder_LeavesTheNameToTheFoldersOwnLog()
    {
        File.WriteAllText(PathOf(RunLog.FileName), "");
        Log(Path.GetFileName(Folder));
        Log("other");

        var runs = RunCatalog.Find(Folder, out _);

        Assert.Equal([Path.GetFileName(Folder), "other"], runs.Select(run => run.Name));
        Assert.Equal(PathOf(RunLog.FileName), runs[0].LogPath);
    }

    [Fact]
    public void Find_StopsAtTheCap_AndSaysSo()
    {
        for (int i = 0; i <= RunCatalog.MaxRuns; i++) Log($"run-{i:D4}");

        var runs = RunCatalog.Find(Folder, out bool truncated);

        Assert.Equal(RunCatalog.MaxRuns, runs.Count);
        Assert.True(truncated);
    }
}
