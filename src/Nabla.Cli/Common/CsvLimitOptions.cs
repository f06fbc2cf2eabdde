using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>
/// The options that bound a CSV file, for the commands that read one (<c>nabla train</c>, <c>predict</c>,
/// <c>evaluate</c>): the library's <see cref="CsvLimits"/>, whose defaults stop a file that is not a table
/// (no line break, a pipe that never ends) with a message instead of filling the memory. A value below 1
/// is a usage error (exit code 2) naming the option.
/// </summary>
internal sealed class CsvLimitOptions
{
    private readonly Option<int> _maxColumns = Create("--max-columns", CsvLimits.DefaultMaxColumns, Array.MaxLength,
        "The most columns a line of the CSV file may have; a wider line is an error naming it.");

    private readonly Option<int> _maxLineLength = Create("--max-line-length", CsvLimits.DefaultMaxLineLength, Array.MaxLength,
        "The most characters a line of the CSV file may have, 1 MiB by default (a row whose quoted cells hold line breaks is one line); a longer one is an error naming it.");

    private readonly Option<long> _maxCells = Create("--max-cells", CsvLimits.DefaultMaxCells, long.MaxValue,
        "The most cells of the CSV file after its header (rows × columns; a table takes about 8 bytes a cell); a larger file is an error.");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_maxColumns);
        command.Options.Add(_maxLineLength);
        command.Options.Add(_maxCells);
    }

    /// <summary>The limits the options give.</summary>
    public CsvLimits Read(ParseResult parse) => new()
    {
        MaxColumns = parse.GetValue(_maxColumns),
        MaxLineLength = parse.GetValue(_maxLineLength),
        MaxCells = parse.GetValue(_maxCells),
    };

    /// <summary>
    /// Refuses the options, by the name of the first one given, for data that is not a CSV file (<paramref name="data"/>
    /// says what it is): an option that does not apply is named, not ignored.
    /// </summary>
    /// <exception cref="CommandInputException">One of the options was given.</exception>
    public void RefuseFor(ParseResult parse, string data)
    {
        if (FirstGiven(parse.GetResult) is { } name)
            throw new CommandInputException($"{name} does not apply to {data}: it bounds a CSV file; leave it out.");
    }

    /// <summary>The name of the first of the options given on the command line, or null; <paramref name="resultOf"/> finds an option's result.</summary>
    public string? FirstGiven(Func<Option, OptionResult?> resultOf) =>
        new Option[] { _maxColumns, _maxLineLength, _maxCells }.FirstOrDefault(option => resultOf(option) is { Implicit: false })?.Name;

    /// <summary>A whole-number option from 1 to <paramref name="most"/>: a line's columns and characters are held in arrays, so they stop at the longest array.</summary>
    private static Option<T> Create<T>(string name, T defaultValue, T most, string description) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        return new Option<T>(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                // Null when the text is not a whole number, and the error is already added.
                if (InvariantNumber.ParseOptionalWhole<T>(result) is not { } value) return defaultValue;
                if (value < T.One || value > most)
                    result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from 1 to {most}, got {value}."));
                return value;
            },
        };
    }
}
