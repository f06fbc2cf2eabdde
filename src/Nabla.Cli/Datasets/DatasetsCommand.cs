using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla datasets list</c> and <c>nabla datasets export NAME</c>: the data sets built into the
/// library, and a way to copy one out as the CSV file it ships as, so that the commands that take
/// <c>--data</c> (predict, evaluate, and train with options of its own) can be tried on it.
/// </summary>
internal static class DatasetsCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var command = new Command("datasets", "The data sets built into Nabla: list them, or export one as a CSV file for --data.");
        command.Subcommands.Add(List(verbose));
        command.Subcommands.Add(Export(verbose));
        return command;
    }

    private static Command List(Option<bool> verbose)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("list", "List the built-in data sets: rows, features, task, target column, origin and licence.") { json };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            if (parse.GetValue(json)) CommandOutput.WriteJson(Json());
            else WriteText();
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Export(Option<bool> verbose)
    {
        var name = new Argument<string>("name") { Description = "The data set to export, as 'nabla datasets list' names it." };
        name.Validators.Add(result =>
        {
            // One line naming them all: the parser's own message for a choice spreads over lines.
            string given = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!Datasets.Names.Contains(given, StringComparer.Ordinal))
                result.AddError($"there is no built-in data set '{given}'; the built-in ones are {string.Join(", ", Datasets.Names)}.");
        });
        name.CompletionSources.Add([.. Datasets.Names]);
        var output = new Option<string?>("--out")
        {
            Description = "The CSV file to write (its folder must exist), or - for standard output; by default NAME.csv in the current folder.",
            HelpName = "PATH",
        };
        var force = new Option<bool>("--force") { Description = "Replace the file at --out if there is one; without it an existing file is left alone." };
        var command = new Command("export", "Write a built-in data set as a CSV file (header first, target last), ready for --data.") { name, output, force };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
            WriteFile(parse.GetValue(name)!, parse.GetValue(output), parse.GetValue(force))));
        return command;
    }

    private static void WriteText()
    {
        var writer = TerminalWriter.Out;
        var catalog = Datasets.Catalog;
        int nameWidth = Width("name", info => info.Name), sizeWidth = Width("rows × features", Size);
        int taskWidth = Width("task", info => info.Task), targetWidth = Width("target", info => info.Target);
        writer.WriteLine($"{"name".PadRight(nameWidth)}{"rows × features".PadRight(sizeWidth)}{"task".PadRight(taskWidth)}{"target".PadRight(targetWidth)}licence");
        foreach (var info in catalog)
            writer.WriteLine($"{info.Name.PadRight(nameWidth)}{Size(info).PadRight(sizeWidth)}{info.Task.PadRight(taskWidth)}{info.Target.PadRight(targetWidth)}{info.Licence}");
        writer.WriteLine();
        foreach (var info in catalog)
            writer.WriteLine($"{info.Name}: {info.Description}. {info.Origin}.");
        writer.WriteLine();
        writer.WriteLine("Export one as a CSV file with 'nabla datasets export NAME' (it writes NAME.csv); 'nabla train' with no --data trains on digits.");
    }

    /// <summary>A column's width: its widest cell or heading, and two spaces.</summary>
    private static int Width(string heading, Func<BuiltInDatasetInfo, string> cell) =>
        Math.Max(heading.Length, Datasets.Catalog.Max(info => cell(info).Length)) + 2;

    private static string Size(BuiltInDatasetInfo info) => string.Create(CultureInfo.InvariantCulture, $"{info.Rows} × {info.Features}");

    private static JsonObject Json()
    {
        var sets = new JsonArray();
        foreach (var info in Datasets.Catalog)
            sets.Add(new JsonObject
            {
                ["name"] = info.Name,
                ["rows"] = info.Rows,
                ["features"] = info.Features,
                ["target"] = info.Target,
                ["task"] = info.Classes is null ? "regression" : "classification",
                ["classes"] = info.Classes,
                ["description"] = info.Description,
                ["origin"] = info.Origin,
                ["licence"] = info.Licence,
            });
        return new JsonObject { ["command"] = "datasets list", ["datasets"] = sets };
    }

    private static int WriteFile(string name, string? outPath, bool force)
    {
        var info = Datasets.Catalog.Single(set => set.Name == name);
        if (outPath == "-")
        {
            using var csv = Datasets.OpenCsv(name);
            using var stdout = Console.OpenStandardOutput();
            csv.CopyTo(stdout);
            return ExitCodes.Success;
        }
        string path = outPath ?? $"{name}.csv";
        OutputPath.Check("--out", path);
        string full = Path.GetFullPath(path);
        // A data file of the user's own may share the name: replacing it needs to be asked for.
        if (!force && File.Exists(full) && !SpecialFile.Is(full))
            throw new CommandInputException($"--out '{path}' already exists; give --force to replace it, or another --out path.");
        AtomicFile.Write(full, file =>
        {
            using var csv = Datasets.OpenCsv(name);
            csv.CopyTo(file);
        });
        TerminalWriter.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {full}: {name}, {info.Rows} rows × {info.Features} features, target '{info.Target}' (last column), {info.Task}; {info.Licence}, keep the attribution: {info.Origin}."));
        return ExitCodes.Success;
    }
}
