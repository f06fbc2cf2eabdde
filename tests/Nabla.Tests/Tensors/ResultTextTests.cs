using System.Globalization;

namespace Nabla.Tests.Tensors;

/// <summary>ResultText, the text of every result's ToString: numbers, errors, absent values, long lists, any culture.</summary>
public class ResultTextTests
{
    [Fact]
    public void Fields_PrintAsARecord_LeavingAbsentValuesOut() =>
        Assert.Equal("Thing { Count = 3, Value = 2.22324 ± 1.23e-11, Done = false, Note = \"ok\" }",
            new ResultText("Thing").Add("Count", 3).Add("Value", 2.223244275483933, 1.23456e-11).Add("Missing", (double?)null)
                .Add("Done", false).AddQuoted("Note", "ok").AddQuoted("Absent", null).ToString());

    [Fact]
    public void Lists_OfUpToSix_PrintWhole_LongerOnes_TheirEndsAndLength()
    {
        Assert.Equal("[]", ResultText.List(Array.Empty<double>(), ResultText.Number));
        Assert.Equal("[1, 2, 3, 4, 5, 6]", ResultText.List([1.0, 2, 3, 4, 5, 6], ResultText.Number));
        Assert.Equal("[0, 1, 2, ..., 97, 98, 99] (100 items)", ResultText.List([.. Enumerable.Range(0, 100).Select(i => (double)i)], ResultText.Number));
    }

    [Fact]
    public void Numbers_AreInvariant_SixSignificantDigits_EvenInAnotherCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal("1.23457e+06", ResultText.Number(1234567.0));
            Assert.Equal("0.3", ResultText.Number(0.1 + 0.2));
            Assert.Equal("NaN ± Infinity", ResultText.WithError(double.NaN, double.PositiveInfinity));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
