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
        using var reader = new StreamReader(OpenCsv(name));
        return Csv.Read(reader, $"{name}.csv");
    }

    /// <summary>
    /// The bytes of a built-in data set's CSV file as it ships (UTF-8, header first, target last): for
    /// copying it out to a file that any tool can read, <c>nabla train --data</c> included.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>A read-only stream the caller disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a built-in data set; the message lists them.</exception>
    public static Stream OpenCsv(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"There is no built-in data set '{name}'; the built-in ones are {string.Join(", ", Names)}.", nameof(name));
        string resource = $"Nabla.Data.BuiltIn.{name}.csv";
        return typeof(Datasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The built-in data set '{name}' is missing from this build (resource {resource}).");
    }

    /// <summary>What each built-in data set is, where it comes from and under which licence, in the order of <see cref="Names"/>.</summary>
    public static IReadOnlyList<BuiltInDatasetInfo> Catalog { get; } =
    [
        new("iris", 150, 4, "species", 3, "Fisher's iris: 4 measurements in cm of 150 flowers, 3 species",
            "UCI Machine Learning Repository (Fisher 1936), as bundled with scikit-learn", "CC BY 4.0"),
        new("diabetes", 442, 10, "progression", null, "10 raw baseline measurements of 442 patients, disease progression a year later",
            "Efron, Hastie, Johnstone and Tibshirani (2004), as bundled with scikit-learn", "BSD-3-Clause"),
        new("breast_cancer", 569, 30, "malignant_is_0", 2, "30 features of 569 tumours, 0 malignant or 1 benign",
            "UCI Breast Cancer Wisconsin (Diagnostic), as bundled with scikit-learn", "CC BY 4.0"),
        new("digits", 1797, 64, "digit", 10, "1,797 handwritten digits, 8×8 pixels of values 0–16, row by row",
            "UCI Optical Recognition of Handwritten Digits, as bundled with scikit-learn", "CC BY 4.0"),
    ];

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
