using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// Damaged and crafted CSV text (iris and diabetes, with cells, quotes, separators and line breaks
/// swapped for hostile values): read, and when read, prepared for training as <c>nabla train</c> does;
/// refused with a message naming the file, or accepted, within the time and allocation bounds.
/// </summary>
public sealed class CsvFuzzTests
{
    private const int CasesPerSeed = 400;

    public static TheoryData<string, string> Seeds() => new() { { "iris.csv", "species" }, { "diabetes.csv", "progression" } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void HostileText_IsRefusedOrRead_WithinBounds(string file, string target)
    {
        // A slice of the file keeps each case fast; the damage is what matters.
        string valid = string.Join('\n', File.ReadLines(SharedData.PathOf(file)).Take(40)) + "\n";
        var mutator = new Mutator(file.Length);
        int accepted = Enumerable.Range(0, CasesPerSeed).Count(i => Read($"{file} text #{i}", mutator.Text(valid), target));

        Assert.InRange(accepted, 1, CasesPerSeed - 1);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DamagedBytes_AreRefusedOrRead_WithinBounds(string file, string target)
    {
        byte[] valid = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(SharedData.PathOf(file)).Take(40)) + "\n");
        var mutator = new Mutator(file.Length + 1);
        int accepted = Enumerable.Range(0, CasesPerSeed).Count(i =>
            Read($"{file} bytes #{i}", new StreamReader(new MemoryStream(mutator.Bytes(valid, valid.Length)), Encoding.UTF8).ReadToEnd(), target));

        Assert.InRange(accepted, 1, CasesPerSeed - 1);
    }

    private static bool Read(string name, string text, string target)
    {
        const string Source = "fuzz.csv";
        return HostileInput.Check(name, Source, 64L * text.Length + (8 << 20), () =>
        {
            var table = Csv.Read(new StringReader(text), Source);
            if (table.ColumnNames.Contains(target))
                TabularPreprocessor.Fit(table, target, [.. Enumerable.Range(0, table.RowCount)]);
        }, typeof(InvalidDataException));
    }
}
