using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>--memory-limit SIZE</c> of <c>nabla train</c>, <c>predict</c> and <c>evaluate</c>: the most memory
/// the network may take (the library's <see cref="MemoryLimit"/>, which refusals then name as this
/// option). A size that does not parse is a usage error (exit 2) naming the option and the text.
/// </summary>
internal static partial class MemoryLimitOption
{
    /// <summary>The option's name, as refusals name the setting that raises the limit.</summary>
    public const string Name = "--memory-limit";

    /// <summary>The limit when the option is not given: the library's default, named as this option.</summary>
    public static MemoryLimit Default { get; } = new(MemoryLimit.Default.Bytes, Name);

    /// <summary>The option of <c>predict</c> and <c>evaluate</c>, which run the network in batches that fit.</summary>
    public static Option<MemoryLimit> ForPrediction() =>
        Create($"its weights, and the activations of the rows it predicts at once (as many as fit, up to {ModelFile.PredictBatchSize})");

    /// <summary>The option of <c>train</c>, whose network is checked before it is built.</summary>
    public static Option<MemoryLimit> ForTraining() =>
        Create("its weights with their gradients and the optimizer's state, and the activations of one batch with their gradients");

    private static Option<MemoryLimit> Create(string counts) => new(Name)
    {
        Description = $"The most memory the network may take: {counts}. A model or options that need more are refused before anything is allocated. "
            + $"A size such as 512MB, 4GB or 1.5GB (units of 1024 bytes; a plain number is bytes); by default half the memory available, at most 8GB (here {Default.Amount}).",
        HelpName = "SIZE",
        CustomParser = Parse,
        DefaultValueFactory = _ => Default,
    };

    private static MemoryLimit Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var match = Size().Match(text);
        if (match.Success && double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            int power = "BKMGT".IndexOf(char.ToUpperInvariant(match.Groups["unit"].Value.FirstOrDefault('B')));
            double bytes = Math.Floor(number * Math.Pow(1024, power));
            if (bytes >= 1 && bytes < long.MaxValue) return new MemoryLimit((long)bytes, Name);
        }
        result.AddError($"{Name} must be a size of at least 1 byte such as 512MB, 4GB or 1.5GB (K, M, G, T: units of 1024 bytes; a plain number is bytes); got '{text}'.");
        return Default;
    }

    /// <summary>A number with an optional unit: K, M, G or T, each optionally followed by "B" or "iB"; or "B" alone.</summary>
    [GeneratedRegex(@"^\s*(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>([KMGT](i?B)?)|B)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Size();
}
