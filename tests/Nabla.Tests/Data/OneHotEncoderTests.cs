using System.Globalization;
using System.Text.Json;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// OneHotEncoder and LabelEncoder against scikit-learn 1.2: learnt and given categories, string
/// and numeric columns, drop first / if binary, unknown categories ignored; then errors.
/// </summary>
public class OneHotEncoderTests
{
    public static TheoryData<string> CaseNames() => [.. SklearnFixture.Value.OneHotEncoder.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OneHotEncoder_MatchesScikitLearn(string name)
    {
        var c = SklearnFixture.Value.OneHotEncoder.Single(c => c.Name == name);
        var handle = c.Options.TryGetValue("handle_unknown", out var h) && h.GetString() == "ignore" ? HandleUnknown.Ignore : HandleUnknown.Error;
        var drop = c.Options.TryGetValue("drop", out var d) ? (d.GetString() == "first" ? OneHotDrop.First : OneHotDrop.IfBinary) : OneHotDrop.None;
        var given = c.Options.TryGetValue("categories", out var g) ? g.Deserialize<List<List<string>>>() : null;
        OneHotEncoder encoder;
        double[,] transformed, probe = new double[0, 0];
        if (c.LabelType == "string")
        {
            encoder = given is null ? new OneHotEncoder(handle, drop) : new OneHotEncoder(given.Select(l => (IReadOnlyList<string>)l).ToList(), handle, drop);
            transformed = encoder.FitTransform(Strings(c.X));
            if (c.Probe is not null) probe = encoder.Transform(Strings(c.Probe));
            Assert.Equal(c.Categories, encoder.TextCategories!.Select(l => l.ToList()));
        }
        else
        {
            encoder = given is null ? new OneHotEncoder(handle, drop) : new OneHotEncoder(given.Select(l => (IReadOnlyList<double>)Numbers(l)).ToList(), handle, drop);
            transformed = encoder.FitTransform(SklearnFixture.Matrix([.. c.X.Select(Numbers)]));
            if (c.Probe is not null) probe = encoder.Transform(SklearnFixture.Matrix([.. c.Probe.Select(Numbers)]));
            Assert.Equal(c.Categories.Select(Numbers), encoder.Categories!.Select(l => l.ToList()));
            var tensor = encoder.Transform(Tensor.FromArray(SklearnFixture.Matrix([.. c.X.Select(Numbers)])));
            Assert.Equal(transformed.Cast<double>(), tensor.ToDoubleArray());
        }
        SklearnFixture.AssertClose(c.Transformed, transformed, "transformed");
        if (c.Probe is not null) SklearnFixture.AssertClose(c.ProbeTransformed!, probe, "unknown categories");
        Assert.Equal(c.DropIdx ?? [.. c.Categories.Select(_ => (int?)null)], encoder.DropIndices);

        var restored = (OneHotEncoder)encoder.GetState().Restore();
        Assert.Equal(encoder.NFeaturesOut, restored.NFeaturesOut);
        Assert.Equal(encoder.DropIndices, restored.DropIndices);
    }

    private static List<double> Numbers(List<string> row) => [.. row.Select(s => double.Parse(s, CultureInfo.InvariantCulture))];

    private static string[,] Strings(List<List<string>> rows)
    {
        var result = new string[rows.Count, rows[0].Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Count; j++) result[i, j] = rows[i][j];
        return result;
    }

    [Fact]
    public void UnknownCategory_IsNamedWithItsColumn()
    {
        var encoder = new OneHotEncoder().Fit(new[,] { { "a", "x" }, { "b", "y" } });
        var e = Assert.Throws<ArgumentException>(() => encoder.Transform(new[,] { { "a", "zebra" } }));
        Assert.Contains("'zebra'", e.Message);
        Assert.Contains("column 1", e.Message);
    }

    [Fact]
    public void ValueOutsideGivenCategories_FailsTheFit()
    {
        var encoder = new OneHotEncoder(new List<IReadOnlyList<string>> { new[] { "a", "b" } });
        var e = Assert.Throws<ArgumentException>(() => encoder.Fit(new[,] { { "a" }, { "c" } }));
        Assert.Contains("'c'", e.Message);
    }

    [Fact]
    public void UnsortedNumericCategories_AreRejected() =>
        Assert.Throws<ArgumentException>(() => new OneHotEncoder(new List<IReadOnlyList<double>> { new[] { 2.0, 1.0 } }));

    [Fact]
    public void TransformBeforeFit_WrongFeatureCount_AndWrongKind_AreClearErrors()
    {
        Assert.Throws<InvalidOperationException>(() => new OneHotEncoder().Transform(new[,] { { "a" } }));
        var encoder = new OneHotEncoder().Fit(new double[,] { { 1, 2 }, { 3, 4 } });
        var e = Assert.Throws<ShapeMismatchException>(() => encoder.Transform(new double[,] { { 1 } }));
        Assert.Contains("1 features", e.Message);
        Assert.Contains("2 features", e.Message);
        Assert.Throws<InvalidOperationException>(() => encoder.Transform(new[,] { { "1", "2" } }));
    }

    [Fact]
    public void Int32Codes_EncodeAsFloat64()
    {
        var y = new OneHotEncoder().FitTransform(Tensor.FromArray(new[] { 2, 0, 2 }, 3, 1));
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(new double[] { 0, 1, 1, 0, 0, 1 }, y.ToDoubleArray());
    }

    [Fact]
    public void LabelEncoder_MatchesScikitLearn()
    {
        var f = SklearnFixture.Value.LabelEncoder;
        var encoder = new LabelEncoder<string>().Fit(f.Y);
        Assert.Equal(f.Classes, encoder.Classes);
        Assert.Equal(f.Codes, encoder.Transform(f.Y));
        Assert.Equal(f.Y, encoder.InverseTransform(f.Codes!));
        // Code-point order, as NumPy sorts strings: digits, upper case, '_', lower case.
        Assert.Equal(SklearnFixture.Value.LabelEncoderMixed.Classes, new LabelEncoder<string>().Fit(SklearnFixture.Value.LabelEncoderMixed.Y).Classes);
    }

    [Fact]
    public void LabelEncoder_UnseenLabel_IsNamed()
    {
        var encoder = new LabelEncoder<int>().Fit([3, 1, 3]);
        Assert.Equal(new[] { 1, 0 }, encoder.Transform([3, 1]));
        var e = Assert.Throws<ArgumentException>(() => encoder.Transform([1, 7]));
        Assert.Contains("7", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.InverseTransform([2]));
        Assert.Throws<InvalidOperationException>(() => new LabelEncoder<string>().Transform(["a"]));
    }
}
