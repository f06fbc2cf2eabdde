using System.Globalization;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>
/// The <c>nabla train</c> command that trains the model <c>nabla tune</c> saved: the data options as the user gave them, the
/// best trial's settings as options, and its budget as <c>--epochs</c>. Run as written, it gives the same model file.
/// </summary>
internal static class TrainCommandLine
{
    /// <summary>The command for <paramref name="best"/>, its words quoted for a POSIX shell where they need it.</summary>
    public static string For(TuneSettings settings, TunedTrial best)
    {
        var train = settings.Base;
        var words = new List<string> { "nabla", "train" };
        void Add(string option, string? value = null)
        {
            words.Add(option);
            if (value is not null) words.Add(value);
        }
        if (train.DataPath is { } path) Add("--data", path);
        if (train.TargetColumn is { } target) Add("--target", target);
        if (train.DropColumns.Count > 0) Add("--drop", string.Join(',', train.DropColumns));
        if (train.Task is not null) Add("--task", TrainChoices.Task.WordOf(train.Task));
        if (train.TestSplit != TrainOptions.DefaultTestSplit) Add("--test-split", Text(train.TestSplit));
        if (train.Impute != MissingValuePolicy.Error) Add("--impute", TrainChoices.Impute.WordOf(train.Impute));
        if (train.Seed != 0) Add("--seed", Text(train.Seed));
        Add("--model", TrainChoices.Model.WordOf(best.Family.Model));
        var parameters = best.Record.Parameters;
        foreach (string name in parameters.Names)
        {
            var parameter = TuneParameter.Named(name)!;
            switch (name)
            {
                case "schedule" when parameters.String(name) == "constant":
                case "batch_norm" when parameters.String(name) == "false":
                    break;
                case "batch_norm":
                    Add(parameter.Option);
                    break;
                default:
                    Add(parameter.Option, parameters.Text(name));
                    break;
            }
        }
        if (best.Family.IsNetwork && !parameters.Names.Contains("epochs")) Add("--epochs", Text(best.Record.Budget));
        Add("--out", train.OutPath);
        return string.Join(' ', words.Select(Quoted));
    }

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>The word as a POSIX shell reads it back: as it is when it is plain, otherwise in single quotes.</summary>
    private static string Quoted(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_.,/=:+@%".Contains(c)) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
