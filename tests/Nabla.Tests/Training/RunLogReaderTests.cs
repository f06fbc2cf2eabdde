using System.Text;
using System.Text.RegularExpressions;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// <see cref="RunLogReader"/> on logs as a killed writer, a careless editor and a hostile file leave them: a cut-off
/// last line is skipped and reported, any other bad line is refused naming the file and line, and nothing makes it
/// read without bound. A search's trial events are read as strictly, in their own place.
/// </summary>
public sealed class RunLogReaderTests : TemporaryFolder
{
    private const string SettingsLine = """{"event":"settings","run":"r","start":"2026-12-07T07:12:00.0000000+01:00","nabla":"1.0.0","settings":[{"name":"lr","value":"0.1"}]}""";

    private static string EpochLine(int epoch, string loss = "0.5") =>
        $$"""{"event":"epoch","epoch":{{epoch}},"time":"2026-12-07T07:12:01.0000000+01:00","loss":{{loss}},"lr":0.1,"seconds":0.25,"samples_per_second":512}""";

    private static string StepLine(int epoch, long step) => $$"""{"event":"step","epoch":{{epoch}},"step":{{step}},"loss":0.75,"lr":0.1}""";

    private const string EndLine = """{"event":"end","time":"2026-12-07T07:12:09.0000000+01:00","outcome":"completed","epochs":3}""";

    private static string TrialLine(int number, string outcome = "complete", string score = ",\"score\":0.75,\"std\":0.125") =>
        $$"""{"event":"trial","number":{{number}},"time":"2026-12-07T07:12:02.0000000+01:00","model":"mlp","outcome":"{{outcome}}"{{score}},"seconds":1.5,"parameters":[{"name":"lr","value":"0.01"},{"name":"hidden","value":"64,32"}]}""";

    private const string SearchEndLine = """{"event":"end","time":"2026-12-07T07:12:09.0000000+01:00","outcome":"stopped_early","reason":"the time budget","trials":3}""";

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
    [InlineData("{\"event\":\"step\",\"epoch\":1,\"step\":4,\"loss\":1,\"lr\":1}", "line 3: a step of epoch 1 comes after the end of epoch 1; a step belongs to an epoch still running")]
    [InlineData("{\"event\":\"step\",\"epoch\":2,\"step\":-4,\"loss\":1,\"lr\":1}", "line 3: \"step\" is the number -4, expected a whole number from 0")]
    public void AMalformedMiddleLine_IsRefused_NamingTheFileAndLine(string bad, string expected)
    {
        string path = Log(SettingsLine, EpochLine(1), bad, EpochLine(3));

        var e = Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path));

        Assert.Contains($"{path}, {expected}", e.Message);
    }

    [Fact]
    public void EventsOutOfPlace_AreRefusedNamingTheLine()
    {
        Assert.Contains("line 3: step 2 comes after step 2; steps must increase",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(SettingsLine, StepLine(1, 2), StepLine(1, 2)))).Message);
        Assert.Equal([1L, 2, 5], RunLogReader.Read(Log(SettingsLine, StepLine(1, 1), StepLine(1, 2), EpochLine(1), StepLine(2, 5))).Steps.Select(s => s.Step));
        Assert.Contains("line 1: a \"epoch\" event before the \"settings\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(EpochLine(1), SettingsLine))).Message);
        Assert.Contains("line 2: a second \"settings\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(SettingsLine, SettingsLine))).Message);
        Assert.Contains("line 3: a \"epoch\" event after the \"end\" event",
            Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(SettingsLine, EndLine, EpochLine(1)))).Message);
    }

    [Fact]
    public void ASearchLog_ReadsIntoItsTrials()
    {
        var run = RunLogReader.Read(Log(SettingsLine, TrialLine(1), TrialLine(0, "pruned", ""),
            TrialLine(2, "failed", ",\"score\":\"NaN\",\"error\":\"diverged\""), SearchEndLine));

        Assert.Equal([1, 0, 2], run.Trials.Select(t => t.Number));
        Assert.Equal([RunTrialOutcome.Complete, RunTrialOutcome.Pruned, RunTrialOutcome.Failed], run.Trials.Select(t => t.Outcome));
        Assert.Equal(0.75, run.Trials[0].Score);
        Assert.Equal(0.125, run.Trials[0].Std);
        Assert.Null(run.Trials[1].Score);
        Assert.True(double.IsNaN(run.Trials[2].Score!.Value));
        Assert.Equal("diverged", run.Trials[2].Error);
        Assert.Equal(TimeSpan.FromSeconds(1.5), run.Trials[0].Duration);
        Assert.Equal("mlp", run.Trials[0].Model);
        Assert.Equal(new Dictionary<string, string> { ["lr"] = "0.01", ["hidden"] = "64,32" }, run.Trials[0].Parameters);
        Assert.Equal(RunOutcome.StoppedEarly, run.End!.Outcome);
        Assert.Equal(3, run.End.Trials);
        Assert.Equal(0, run.End.Epochs);
        Assert.Empty(run.Epochs);
    }

    [Fact]
    public void ACutOffLastTrial_IsSkippedAndReported_WhereverTheWriterWasKilled()
    {
        string whole = string.Join("", new[] { SettingsLine, TrialLine(0), TrialLine(1) }.Select(l => l + "\n"));
        string last = TrialLine(2, "failed", ",\"error\":\"out of memory\"");
        for (int cut = 1; cut < last.Length; cut++)
        {
            string path = WriteBytes("events.jsonl", Encoding.UTF8.GetBytes(whole + last[..cut]));

            var run = RunLogReader.Read(path);

            Assert.Equal([0, 1], run.Trials.Select(t => t.Number));
            Assert.Equal(4, run.IgnoredPartialLine);
            Assert.Null(run.End);
        }
    }

    [Theory]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"done\",\"seconds\":1,\"parameters\":[]}", "line 3: \"outcome\" is \"done\", expected one of \"complete\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[]}", "line 3: the field \"model\" is missing")]
    [InlineData("{\"event\":\"trial\",\"number\":-1,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[]}", "line 3: \"number\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":-0.5,\"parameters\":[]}", "line 3: \"seconds\" is -0.5")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"complete\",\"score\":\"high\",\"seconds\":1,\"parameters\":[]}", "line 3: \"score\" is \"high\", expected one of \"NaN\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":{\"lr\":\"0.1\"}}", "line 3: \"parameters\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[{\"name\":\"lr\",\"value\":\"1\"},{\"name\":\"lr\",\"value\":\"2\"}]}", "the parameter \"lr\" is given twice")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"failed\",\"seconds\":1,\"parameters\":[],\"error\":3}", "line 3: \"error\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"budget\":0,\"seconds\":1,\"parameters\":[]}", "line 3: \"budget\" is the number 0, expected a whole number of at least 1")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"budget\":\"all\",\"seconds\":1,\"parameters\":[]}", "line 3: \"budget\"")]
    [InlineData("{\"event\":\"trial\",\"number\":1,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[]}", "line 3: trial 1 is already on line 2")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[],\"curve\":[{\"step\":2,\"value\":1},{\"step\":1,\"value\":1}]}", "line 3: the \"curve\" has step 1 after step 2; its steps must increase")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[],\"curve\":[{\"step\":1,\"value\":\"high\"}]}", "\"value\" is \"high\", expected one of \"NaN\"")]
    [InlineData("{\"event\":\"trial\",\"number\":2,\"model\":\"mlp\",\"outcome\":\"pruned\",\"seconds\":1,\"parameters\":[],\"curve\":[[1,0.5]]}", "line 3, curve[0]: expected an object, found an array")]
    public void AMalformedTrialLine_IsRefused_NamingTheFileAndLine(string bad, string expected)
    {
        string path = Log(SettingsLine, TrialLine(1), bad, TrialLine(3));

        var e = Assert.Throws<InvalidDataException>(() => RunLogReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TrialsOutOfPlace_AreRefusedNamingTheLine()
    {
        string Refused(params string[] lines) => Assert.Throws<InvalidDataException>(() => RunLogReader.Read(Log(lines))).Message;

        Assert.Contains("line 1: a \"trial\" event before the \"settings\" event", Refused(TrialLine(0), SettingsLine));
        Assert.Contains("line 3: a \"trial\" event after the \"end\" event", Refused(SettingsLine, SearchEndLine, TrialLine(0)));
        Assert.Contains("line 3: a \"trial\" event in the log of a training, which has 1 epoch", Refused(SettingsLine, EpochLine(1), TrialLine(0)));
        Assert.Contains("line 3: a \"epoch\" event in the log of a search, which has 1 trial", Refused(SettingsLine, TrialLine(0), EpochLine(1)));
        Assert.Contains("line 3: the \"end\" event counts \"epochs\", but the log holds 1 trial", Refused(SettingsLine, TrialLine(0), EndLine));
        Assert.Contains("line 3: the \"end\" event counts \"trials\", but the log holds 1 epoch", Refused(SettingsLine, EpochLine(1), SearchEndLine));
        Assert.Contains("line 2: the \"end\" event has both \"epochs\" and \"trials\"", Refused(SettingsLine, SearchEndLine.Replace("\"trials\":3", "\"trials\":3,\"epochs\":0")));
        Assert.Contains("line 2: the \"end\" event has neither of \"epochs\" and \"trials\"", Refused(SettingsLine, SearchEndLine.Replace(",\"trials\":3", "")));
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

    /// <summary>A training's log and a search's with every field the writer writes: gradients, steps, curves.</summary>
    private static readonly string[][] EveryField =
    [
        [SettingsLine, StepLine(1, 2), EpochLine(1),
            """{"event":"epoch","epoch":2,"time":"2026-12-07T07:12:02.0000000+01:00","loss":0.25,"accuracy":0.5,"val_loss":0.5,"val_accuracy":0.75,"lr":0.1,"seconds":0.25,"samples_per_second":512,"gradients":[{"name":"0.weight","shape":[4,3],"norm":0.5,"weight_norm":2,"update_ratio":"NaN"}]}""",
            """{"event":"end","time":"2026-12-07T07:12:09.0000000+01:00","outcome":"stopped_early","reason":"patience","epochs":2,"best_epoch":1}"""],
        [SettingsLine, TrialLine(1),
            """{"event":"trial","number":2,"time":"2026-12-07T07:12:02.0000000+01:00","model":"mlp","outcome":"pruned","budget":3,"seconds":1.5,"parameters":[],"curve":[{"step":1,"value":0.5},{"step":2,"value":"-Infinity"}]}""",
            SearchEndLine],
    ];

    /// <summary>Values a careless or hostile writer could put where a string belongs: times out of range among them.</summary>
    private static readonly string[] HostileTexts =
        ["\"\"", "\"NaN\"", "\"x\"", "\"\\u0000\"", "\"0001-01-01T00:00:00.0000000+14:00\"", "\"9999-12-31T23:59:59.9999999-14:00\"",
         "\"2026-13-45T25:61:61.0000000+01:00\"", "1", "null", "[]", "{}"];

    /// <summary>Values a careless or hostile writer could put where a number belongs.</summary>
    private static readonly string[] HostileValues =
        ["18446744073709551615", "9223372036854775808", "2147483648", "-2147483649", "-1", "-0", "0", "1e999", "-1e999", "1.5", "1e-320",
         "\"NaN\"", "\"Infinity\"", "\"1\"", "null", "true", "[]", "{}", "[1,[2]]", "\"\\u0000\""];

    [Fact]
    public void HostileValuesInAnyField_AreReadOrRefusedAsInvalidData_NeverAnotherException()
    {
        int tried = 0;
        foreach (string[] lines in EveryField)
        {
            // Each number and each string of the log in turn, each hostile value of its kind in its place.
            var numbers = lines.SelectMany((line, index) => Regex.Matches(line, @"(?<=[:\[,])-?\d+(\.\d+)?([eE][-+]?\d+)?").Select(match => (index, match, HostileValues)));
            var texts = lines.SelectMany((line, index) => Regex.Matches(line, @"(?<=:)""[^""]*""").Select(match => (index, match, HostileTexts)));
            foreach (var (at, number, values) in numbers.Concat(texts))
            {
                foreach (string value in values)
                {
                    string[] hostile = [.. lines];
                    hostile[at] = lines[at][..number.Index] + value + lines[at][(number.Index + number.Length)..];
                    string path = Log(hostile);
                    try
                    {
                        RunLogReader.Read(path);
                    }
                    catch (InvalidDataException e)
                    {
                        // Refused, naming the file and the line: what a damaged log must get.
                        Assert.Contains($"{path}, line {at + 1}", e.Message);
                    }
                    tried++;
                }
            }
        }
        Assert.True(tried > 1000, $"{tried} logs tried");
    }
}
