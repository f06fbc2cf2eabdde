using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// The small classic data sets that ship inside the library, as scikit-learn's <c>load_*</c>
/// functions: iris, diabetes, breast cancer and the 8×8 handwritten digits. Their origin and
/// licences are in the library's Data/BuiltIn/README.md.
/// </summary>
/// <example><c>var digits = Datasets.Digits();   // Features (1797, 64), Target Int32 (1797), classes "0"…"9"</c></example>
public static class Datasets
{
    /// <summary>Fisher's iris: 150 flowers, 4 measurements in cm, 3 species (setosa, versicolor, virginica).</summary>
    public static BuiltInDataset Iris() => Load("iris", classification: true);

    /// <summary>Diabetes (Efron et al. 2004): 442 patients, 10 raw baseline measurements, disease progression a year later.</summary>
    public static BuiltInDataset Diabetes() => Load("diabetes", classification: false);

    /// <summary>Breast cancer Wisconsin (diagnostic): 569 tumours, 30 features, class 0 malignant or 1 benign.</summary>
    public static BuiltInDataset BreastCancer() => Load("breast_cancer", classification: true);

    /// <summary>Handwritten digits: 1,797 images of 8×8 pixels with values 0–16, row by row, digits 0–9.</summary>
    public static BuiltInDataset Digits() => Load("digits", classification: true);

    /// <summary>The names <see cref="ReadTable"/> accepts, in the order of this class's methods.</summary>
    public static IReadOnlyList<string> Names { get; } = ["iris", "diabetes", "breast_cancer", "digits"];

    /// <summary>
    /// A built-in data set as the CSV table it ships as (named "NAME.csv" in messages), every column
    /// as read, the target last: for preparing it as any CSV file is prepared, e.g. with
    /// <see cref="TabularPreprocessor"/>.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>: "iris", "diabetes", "breast_cancer" or "digits".</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a built-in data set; the message lists them.</exception>
    public static CsvTable ReadTable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"There is no built-in data set '{name}'; the built-in ones are {string.Join(", ", Names)}.", nameof(name));
        string resource = $"Nabla.Data.BuiltIn.{name}.csv";
        using var stream = typeof(Datasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The built-in data set '{name}' is missing from this build (resource {resource}).");
        using var reader = new StreamReader(stream);
        return Csv.Read(reader, $"{name}.csv");
    }

    private static BuiltInDataset Load(string name, bool classification)
    {
        var table = ReadTable(name);

        var featureColumns = table.Columns.Take(table.Columns.Count - 1).ToArray();
        var target = table.Columns[^1];
        int n = table.RowCount, f = featureColumns.Length;
        var features = new double[n * f];
        for (int j = 0; j < f; j++)
        {
            var values = featureColumns[j].Numbers;
            for (int i = 0; i < n; i++) features[i * f + j] = values[i];
        }
        var featureNames = featureColumns.Select(c => c.Name).ToArray();
        var x = Tensor.FromArray(features, n, f);
        if (!classification)
            return new BuiltInDataset(name, x, Tensor.FromArray(target.Numbers.ToArray(), [n]), featureNames, target.Name, null);

        // Classes in sorted order (as scikit-learn's), numeric ones by value.
        string[] labels = target.IsNumeric
            ? [.. target.Numbers.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))]
            : [.. target.Codes.ToArray().Select(c => target.Categories[c])];
        string[] classes = target.IsNumeric
            ? [.. target.Numbers.ToArray().Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture))]
            : [.. target.Categories.Order(StringComparer.Ordinal)];
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return new BuiltInDataset(name, x, Tensor.FromArray(labels.Select(l => index[l]).ToArray(), [n]), featureNames, target.Name, classes);
    }
}
