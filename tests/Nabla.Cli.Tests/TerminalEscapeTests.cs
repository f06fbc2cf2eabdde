using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Text from files and options never acts on the terminal: an escape sequence in a class label, a
/// column name, a cell, a path or an option value is shown as <c>\x1b</c> in summaries, tables and
/// messages, and kept as it is only in the data outputs (CSV, JSON) that carry it.
/// </summary>
public sealed class TerminalEscapeTests : TemporaryFolder
{
    // Sets the window title, then turns the text red: what a hostile label would do when printed raw.
    private const string Hostile = "\u001b]0;pwned\u0007\u001b[31mRED";
    private const string Shown = @"\x1b]0;pwned\x07\x1b[31mRED";

    private static string Cli => RepositoryLayout.CliAssembly;

    /// <summary>Iris with "setosa" renamed to the hostile label.</summary>
    private string HostileIris(string name = "iris.csv")
    {
        string path = PathOf(name);
        File.WriteAllText(path, File.ReadAllText(SharedData.PathOf("iris.csv")).Replace("setosa", Hostile, StringComparison.Ordinal));
        return path;
    }

    private static void AssertNoControls(string text)
    {
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
    }

    [Fact]
    public void AHostileClassLabel_IsEscapedInTextOutput_AndKeptInTheDataOutputs()
    {
        string data = HostileIris(), model = PathOf("model.safetensors");
        var train = ProgramRun.Start(Cli, ["train", "--data", data, "--target", "species", "--epochs", "3", "--out", model]);
        Assert.True(train.ExitCode == 0, train.ToString());

        var info = ProgramRun.Start(Cli, ["info", model]);
        var evaluate = ProgramRun.Start(Cli, ["evaluate", "--model", model, "--data", data]);
        var predict = ProgramRun.Start(Cli, ["predict", "--model", model, "--data", data]);
        var json = ProgramRun.Start(Cli, ["info", model, "--json"]);

        foreach (var run in new[] { train, info, evaluate, predict, json })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            AssertNoControls(run.StandardError);
        }
        foreach (var run in new[] { train, info, evaluate }) AssertNoControls(run.StandardOutput);
        Assert.Contains($"Task:       classification, 3 classes: {Shown}, versicolor, virginica", info.OutputLines);
        // The predictions are data: the label as it is in the file, as the CSV that holds it.
        Assert.Contains(predict.OutputLines, line => line.StartsWith(Hostile + ",", StringComparison.Ordinal));
        // JSON escapes control characters itself.
        AssertNoControls(json.StandardOutput);
        Assert.Contains(@"\u001b]0;pwned\u0007\u001b[31mRED", json.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ControlCharactersInMessages_AreEscaped()
    {
        // A class with one row: the message names the class.
        string oneRow = PathOf("one-row.csv");
        string[] lines = File.ReadAllLines(SharedData.PathOf("iris.csv"));
        lines[1] = lines[1].Replace("setosa", Hostile, StringComparison.Ordinal);
        File.WriteAllLines(oneRow, lines);
        // A record separator before a number: the message quotes the cell.
        string cell = PathOf("cell.csv");
        lines = File.ReadAllLines(SharedData.PathOf("iris.csv"));
        lines[5] = "\u001e" + lines[5];
        File.WriteAllLines(cell, lines);

        var runs = new[]
        {
            ProgramRun.Start(Cli, ["train", "--data", oneRow, "--target", "species", "--out", PathOf("a.safetensors")]),
            ProgramRun.Start(Cli, ["train", "--data", cell, "--target", "species", "--out", PathOf("b.safetensors")]),
            ProgramRun.Start(Cli, ["train", "--data", SharedData.PathOf("iris.csv"), "--target", Hostile, "--out", PathOf("c.safetensors")]),
            ProgramRun.Start(Cli, ["train", "--model", Hostile]),
            ProgramRun.Start(Cli, ["info", PathOf(Hostile)]),
        };

        foreach (var run in runs)
        {
            Assert.True(run.ExitCode is 1 or 2, run.ToString());
            AssertNoControls(run.StandardError);
        }
        Assert.Contains($"the class '{Shown}' has only 1 row (line 2)", runs[0].StandardError);
        Assert.Contains(@"\x1e5", runs[1].StandardError);
        Assert.Contains(Shown, runs[2].StandardError);
        Assert.Contains(Shown, runs[3].StandardError);
        Assert.Contains(Shown, runs[4].StandardError);
    }
}
