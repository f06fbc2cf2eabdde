using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>Tests that redirect the console, run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// examples/notebooks/Calculus.ipynb: its C# cells run in order, each prints exactly the output saved
/// in the notebook, and those outputs hold what the text promises (f′(1) = 2 sin 1 + cos 1 three
/// ways, θ = (1, 2) three ways, a digits network above 90 %); it loads the library built here.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed partial class NotebookTests
{
    private static readonly string Notebook = Path.Combine(RepositoryLayout.Root, "examples/notebooks/Calculus.ipynb");

    [Fact]
    public async Task Cells_RunInOrder_AndPrintTheSavedOutputs()
    {
        var cells = NotebookRunner.CodeCells(Notebook);
        var outputs = await NotebookRunner.RunAsync(cells);

        Assert.Equal(6, cells.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            Assert.NotEmpty(cells[i].SavedOutput);
            Assert.True(cells[i].SavedOutput == outputs[i], $"cell {cells[i].Index} printed\n{outputs[i]}\nbut the notebook shows\n{cells[i].SavedOutput}");
        }
    }

    [Fact]
    public void SavedOutputs_HoldWhatTheTextPromises()
    {
        string output = string.Concat(NotebookRunner.CodeCells(Notebook).Select(c => c.SavedOutput));

        double derivative = 2 * Math.Sin(1) + Math.Cos(1);
        var values = DerivativeLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3, values.Length);
        Assert.All(values, value => Assert.Equal(derivative, value, 1e-12));
        Assert.Contains("(error estimate below 1e-9)", output);

        Assert.Equal(3, ThetaLine().Matches(output).Count);
        var accuracy = AccuracyLine().Match(output);
        Assert.True(accuracy.Success, output);
        Assert.InRange(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 90, 100);
    }

    [Fact]
    public void References_AreTheLibraryBuiltHere_AndItsPackageDependency()
    {
        var first = NotebookRunner.CodeCells(Notebook)[0];
        string[] references = [.. NotebookRunner.References(first.Source)];
        string props = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "Directory.Packages.props"));
        string tensorsVersion = Regex.Match(props, "\"System.Numerics.Tensors\" Version=\"([^\"]+)\"").Groups[1].Value;

        Assert.Equal([$"#r \"nuget: System.Numerics.Tensors, {tensorsVersion}\"", "#r \"../../src/Nabla/bin/Release/net10.0/Nabla.dll\""], references);
        string library = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Notebook)!, "../../src/Nabla/bin/Release/net10.0/Nabla.dll"));
        Assert.Equal(Path.Combine(RepositoryLayout.Root, "src", "Nabla", "bin", "Release", "net10.0", "Nabla.dll"), library);
        Assert.Contains(".net-csharp", File.ReadAllText(Notebook));
    }

    [GeneratedRegex(@"f'\(1\) = (\d\.\d{12})")]
    private static partial Regex DerivativeLine();

    [GeneratedRegex(@"theta = \(1\.000000, 2\.000000\)")]
    private static partial Regex ThetaLine();

    [GeneratedRegex(@"test accuracy: (\d+\.\d) %")]
    private static partial Regex AccuracyLine();
}
