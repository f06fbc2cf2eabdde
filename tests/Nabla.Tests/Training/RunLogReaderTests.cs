using System.Text;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// <see cref="RunLogReader"/> on logs as a killed writer, a careless editor and a hostile file leave them: a cut-off
/// last line is skipped and reported, any other bad line is refused naming the file and line, and nothing makes it
/// read without bound.
/// </summary>
public sealed class RunLogReaderTests : TemporaryFolder
{
    private const string SettingsLine = """{"event":"settings","run":"r","start":"2026-12-07T07:12:00.0000000+01:00","nabla":"1.0.0","settings":[{"name":"lr","value":"0.1"}]}""";

    private static string EpochLine(int epoch, string loss = "0.5") =>
        $$"""{"event":"epoch","epoch":{{epoch}},"time":"2026-12-07T07:12:01.0000000+01:00","loss":{{loss}},"lr":0.1,"seconds":0.25,"samples_per_second":512}""";

    private const string EndLine = """{"event":"end","time":"2026-12-07T07:12:09.0000000+01:00","outcome":"completed","epochs":3}""";

    private string Log(params string[] lines) => WriteBytes("events.jsonl", Encoding.UTF8.GetBytes(string.Join("", lines.Select(l => l + "\n"))));

    [Fact]
    public void AWholeLog_ReadsIntoItsEvents()
    {
        var run = RunLogReader.Read(Log(SettingsLine, EpochLine(1), EpochLine(2, "0.25"), EpochLine(3, "\"NaN\""), EndLine));

        Assert.Equal("r", run.Settings.Name);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 7, 12, 0, TimeSpan.FromHours(1)), run.Settings.Start);
        Assert.Equal("0.1", run.Settings.Settings["lr"]);
        Assert.Equal([0.5, 0.25, double.NaN], run.Epochs.Select(e => e.Result.Loss));
        Assert.Equal(TimeSpan.FromMilliseconds(250), run.Epochs[0].Result.Duration);
        Assert.Equal(512, run.Epochs[0].SamplesPerSecond);
        Assert.Equal(RunOutcome.Completed, run.End!.Outcome);
        Assert.Null(run.IgnoredPartialLine);
    }

    [Fact]
    public void ACutOffLastLine_IsSkippedAndReported_WhereverTheWriterWasKilled()
    {
        string whole = string.Join("", new[] { SettingsLine, EpochLine(1), EpochLine(2) }.Select(l => l + "\n"));
        string last = EpochLine(3);
        // Every prefix of the last event but the whole of it: as many places as a kill can cut it.
        for (int cut = 1; cut < last.Length; cut++)
        {
            string path = WriteBytes("events.jsonl", Encoding.UTF8.GetBytes(whole + last[..cut]));

            var run = RunLogReader.Read(path);

            Assert.Equal([1, 2], run.Epochs.Select(e => e.Result.Epoch));
            Assert.Equal(4, run.IgnoredPartialLine);
            Assert.Null(run.End);
        }
    }

    [Fact]
    public void AWholeLastEvent_WithoutItsNewline_IsKept()
    {
        string path = WriteBytes("events.jsonl", Encoding.UTF8.GetBytes(SettingsLine + "\n" + EpochLine(1)));

        var run = RunLogReader.Read(path);

        Assert.Equal([1], run.Epochs.Select(e => e.Result.Epoch));
        Assert.Null(run.IgnoredPartialLine);
    }

    [Theory]
    [InlineData("{\"event\":\"epoch\",\"epoch\":2", "line 3: not valid JSON")]
    [InlineData("", "line 3: the line is empty")]
    [InlineData("{\"event\":\"epoch\",\"epoch\":2,\"loss\":\"abc\",\"lr\":1,\"seconds\":1,\"samples_per_second\":1}", "line 3: \"loss\" is \"abc\", expected one of \"NaN\"")]
    [InlineData("{\"event\":\"epoch\",\"epoch\":1,\"loss\":1,\"lr\":1,\"seconds\":1,\"samples_per_second\":1}", "line 3: epoch 1 comes after epoch 1")]
    [InlineData("{\"event\":\"launch\"}", "line 3: \"event\" is \"launch\", expected one of \"settings\"")]
    [InlineData("{\"event\":\"epoch\",\"epoch\":2,\"loss\":1,\"lr\":1,\"seconds\":-1,\"samples_per_second\":1}", "line 3: \"seconds\" is -1")]
    [InlineData("[1, 2]", "line 3: expected a JSON object")]
    public void AMalformedMiddleLine_IsRefused_NamingTheFileAndLine(string bad, string expected)
    {
        string path = Log(SettingsLine, EpochLine(1), bad, EpochLine(3));

        var e = Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path));

        Assert.Contains($"{path}, {expected}", e.Message);
    }

    [Fact]
    public void EventsOutOfPlace_AreRefusedNamingTheLine()
    {
        Assert.Contains("line 1: a \"epoch\" event before the \"settings\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(EpochLine(1), SettingsLine))).Message);
        Assert.Contains("line 2: a second \"settings\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(SettingsLine, SettingsLine))).Message);
        Assert.Contains("line 3: a \"epoch\" event after the \"end\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(SettingsLine, EndLine, EpochLine(1)))).Message);
    }

    [Fact]
    public void BytesThatAreNotUtf8_AreRefusedNamingTheLine()
    {
        string path = WriteBytes("events.jsonl", [.. Encoding.UTF8.GetBytes(SettingsLine + "\n"), 0xC3, 0x28, (byte)'\n']);

        Assert.Contains($"{path}, line 2: not UTF-8 text", Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path)).Message);
    }

    [Fact]
    public void AnEmptyLog_OrOneCutInItsFirstLine_HasNoRunToRead()
    {
        string empty = WriteBytes("empty.jsonl", []);
        string cut = WriteBytes("cut.jsonl", Encoding.UTF8.GetBytes(SettingsLine[..20]));

        Assert.Contains("the file is empty", Assert.Throws<InvalidDataException>(() => RunLogReader.Read(empty)).Message);
        Assert.Contains("only a cut-off first line", Assert.Throws<InvalidDataException>(() => RunLogReader.Read(cut)).Message);
    }

    [Fact]
    public void AnEndlessLine_IsRefusedAtTheLineLimit_InBoundedMemory()
    {
        if (!File.Exists("/dev/zero")) return;
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => RunLogReader.Read("/dev/zero"));

        Assert.Contains($"/dev/zero, line 1: longer than {RunLogReader.DefaultMaxLineLength} bytes", e.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 16L << 20);
    }

    [Fact]
    public void TooManyLines_AreRefusedAtTheLineLimit()
    {
        string path = Log([SettingsLine, .. Enumerable.Range(1, 100).Select(i => EpochLine(i))]);

        Assert.Equal(100, RunLogReader.Read(path, maxLines: 101).Epochs.Count);
        Assert.Contains("more than 100 lines", Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path, maxLines: 100)).Message);
        Assert.Contains("line 1: longer than 100 bytes", Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path, maxLineLength: 100)).Message);
    }
}
