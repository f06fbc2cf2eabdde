using System.Text;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// <see cref="RunLogTail"/> following a log as it grows, a piece at a time: each look holds what a whole read of the
/// same bytes holds, nothing while a line is half written, and a replaced log is refused rather than misread.
/// </summary>
public sealed class RunLogTailTests : TemporaryFolder
{
    /// <summary>The bytes of a real log: settings, 8 epochs with gradient norms, a step every 5 batches, the end.</summary>
    private byte[] RealLog()
    {
        var (x, y) = Blobs.Classification(160);
        var model = Networks.Mlp([4, 16, 3], () => new ReLU());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.01));
        var (train, validation) = new DataLoader(x, y, 16, shuffle: true, generator: new Generator(2)).Split(0.2, 3);
        using var log = new RunLog(PathOf("real"), new Dictionary<string, string> { ["label"] = "<é> \"日本\"" }) { StepInterval = 5 };
        trainer.Callbacks.Add(new GradientDiagnostics());
        trainer.Callbacks.Add(log);
        trainer.Fit(train, epochs: 8, validation);
        return File.ReadAllBytes(log.Path);
    }

    private static void AssertSame(RunLogContents expected, RunLogContents actual)
    {
        Assert.Equal(expected.Settings.Settings, actual.Settings.Settings);
        Assert.Equal(expected.Epochs.Select(e => e.Result), actual.Epochs.Select(e => e.Result));
        Assert.Equal(expected.Epochs.Select(e => e.Gradients.Count), actual.Epochs.Select(e => e.Gradients.Count));
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.End, actual.End);
        Assert.Equal(expected.IgnoredPartialLine, actual.IgnoredPartialLine);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(97)]
    [InlineData(1000)]
    public void Following_AGrowingLog_HoldsAtEachLookWhatAWholeReadOfTheSameBytesHolds(int piece)
    {
        byte[] bytes = RealLog();
        string growing = PathOf("growing.jsonl"), copy = PathOf("copy.jsonl");
        File.WriteAllBytes(growing, []);
        var tail = new RunLogTail(growing, RunLogReader.DefaultMaxLineLength, RunLogReader.DefaultMaxLines);
        var looks = new List<(RunLogContents Contents, int Epochs, int Steps)>();
        int written = 0;

        void WriteTo(int next)
        {
            using (var file = new FileStream(growing, FileMode.Append)) file.Write(bytes, written, next - written);
            written = next;
            var followed = tail.Follow();
            if (bytes[written - 1] != (byte)'\n')
            {
                // Half a line: nothing to show until its newline comes.
                Assert.Null(followed);
                return;
            }
            File.WriteAllBytes(copy, bytes[..written]);
            AssertSame(RunLogReader.Read(copy), followed!);
            looks.Add((followed!, followed!.Epochs.Count, followed.Steps.Count));
        }

        // A piece at a time, then on to the end of the line it stopped in.
        while (written < bytes.Length)
        {
            WriteTo(Math.Min(bytes.Length, written + piece));
            if (written < bytes.Length && bytes[written - 1] != (byte)'\n') WriteTo(Array.IndexOf(bytes, (byte)'\n', written) + 1);
        }

        Assert.True(looks.Count >= 5, $"{looks.Count} looks");
        Assert.NotNull(looks[^1].Contents.End);
        // Each look copied what it held: the lines read after it left it as it was.
        Assert.All(looks, look => Assert.Equal((look.Epochs, look.Steps), (look.Contents.Epochs.Count, look.Contents.Steps.Count)));
    }

    [Fact]
    public void AReplacedLog_ShorterThanBefore_IsRefused()
    {
        byte[] bytes = RealLog();
        string log = PathOf("replaced.jsonl");
        File.WriteAllBytes(log, bytes);
        var tail = new RunLogTail(log, RunLogReader.DefaultMaxLineLength, RunLogReader.DefaultMaxLines);
        Assert.NotNull(tail.Follow());

        File.WriteAllBytes(log, bytes[..(bytes.Length / 2)]);

        Assert.Contains("it was replaced, not appended to", Assert.Throws<InvalidDataException>(() => tail.Follow()).Message);
    }

    [Fact]
    public void TheLineLimit_BoundsTheWholeLog_NotEachLook()
    {
        string[] lines = Encoding.UTF8.GetString(RealLog()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string log = PathOf("limited.jsonl");
        File.WriteAllText(log, string.Concat(lines[..3].Select(line => line + "\n")));
        var tail = new RunLogTail(log, RunLogReader.DefaultMaxLineLength, maxLines: 4);
        Assert.NotNull(tail.Follow());

        File.AppendAllText(log, string.Concat(lines[3..5].Select(line => line + "\n")));

        Assert.Contains("more than 4 lines", Assert.Throws<InvalidDataException>(() => tail.Follow()).Message);
    }
}
