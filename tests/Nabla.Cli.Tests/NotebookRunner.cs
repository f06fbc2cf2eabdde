using System.Text.Json;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Nabla.Cli.Tests;

/// <summary>One C# code cell of a Jupyter/Polyglot notebook: its position among all cells, its source and the standard output saved with it.</summary>
internal sealed record NotebookCell(int Index, string Source, string SavedOutput);

/// <summary>
/// Runs a notebook's C# cells in order in one script session, as .NET Interactive's C# kernel does
/// (each cell sees the variables of the ones before), with the library referenced directly: the
/// cells' <c>#r</c> lines, which load the library (and its package dependency) in a notebook, are left out.
/// </summary>
internal static class NotebookRunner
{
    /// <summary>The namespaces .NET Interactive's C# kernel imports before the first cell.</summary>
    private static readonly string[] KernelImports = ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    /// <summary>The code cells of the notebook at <paramref name="path"/>, with their saved "stdout" stream outputs joined.</summary>
    public static IReadOnlyList<NotebookCell> CodeCells(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<NotebookCell>();
        int index = 0;
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() == "code")
            {
                string output = string.Concat(cell.GetProperty("outputs").EnumerateArray()
                    .Where(o => o.GetProperty("output_type").GetString() == "stream" && o.GetProperty("name").GetString() == "stdout")
                    .Select(o => Text(o.GetProperty("text"))));
                cells.Add(new NotebookCell(index, Text(cell.GetProperty("source")), output));
            }
            index++;
        }
        return cells;
    }

    /// <summary>The <c>#r</c> lines of a cell's source.</summary>
    public static IEnumerable<string> References(string source) =>
        source.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("#r ", StringComparison.Ordinal));

    /// <summary>
    /// Runs each cell after the previous ones and returns what each wrote to the console. Console
    /// output is redirected while a cell runs, so callers must not run in parallel with other writers.
    /// </summary>
    /// <exception cref="InvalidOperationException">A cell does not compile or throws; the message names the cell.</exception>
    public static async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<NotebookCell> cells)
    {
        var options = ScriptOptions.Default.AddReferences(typeof(Tensor).Assembly).AddImports(KernelImports);
        ScriptState<object>? state = null;
        var outputs = new List<string>();
        var console = Console.Out;
        foreach (var cell in cells)
        {
            string code = string.Join('\n', cell.Source.Split('\n').Where(line => !line.TrimStart().StartsWith("#r ", StringComparison.Ordinal)));
            var output = new StringWriter { NewLine = "\n" };
            Console.SetOut(output);
            try
            {
                state = state is null ? await CSharpScript.RunAsync(code, options) : await state.ContinueWithAsync(code, options);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"notebook cell {cell.Index} failed: {e.Message}\n{output}", e);
            }
            finally
            {
                Console.SetOut(console);
            }
            outputs.Add(output.ToString());
        }
        return outputs;
    }

    /// <summary>A notebook text field: a string, or (as Jupyter writes them) an array of lines.</summary>
    private static string Text(JsonElement text) =>
        text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(line => line.GetString())) : text.GetString()!;
}
