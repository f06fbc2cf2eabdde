using Nabla.Data;
using Nabla.Distributed;

namespace Nabla.Tests.Distributed;

public sealed class DistributedCsvTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("nabla-dist-csv").FullName, "data.csv");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public void EachRank_ReadsItsOwnRows_AndTogetherTheyAreTheFile()
    {
        File.WriteAllText(_path, "x,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i * 2}\n")));
        var parts = ThreadGroupCommunicator.Run(3, comm => DistributedCsv.ReadPart(comm, _path)["x"].Numbers.ToArray());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i), parts.SelectMany(p => p));
    }

    [Fact]
    public void AColumnOfNumbersOnOneRankAndTextOnAnother_IsRefused_NamingTheColumnAndRanks()
    {
        // Lines of equal length, so the byte split falls between the numbers (100 …) and the text (k20 …).
        File.WriteAllText(_path, "x,code\n" + string.Concat(Enumerable.Range(10, 20).Select(i => $"{i},{(i < 20 ? "1" + i : "k" + i)}\n")));
        var error = Assert.Throws<InvalidDataException>(() => ThreadGroupCommunicator.Run(2, comm => DistributedCsv.ReadPart(comm, _path)));
        Assert.Contains("column 'code' holds numbers in the rows of rank(s) 0 and text in those of rank(s) 1", error.Message);
        Assert.Contains(_path, error.Message);
    }
}
