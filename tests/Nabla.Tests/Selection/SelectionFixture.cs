namespace Nabla.Tests.Selection;

/// <summary>
/// Fixtures/sklearn_selection.json, written by tools/fixtures/sklearn_selection.py with scikit-learn 1.2:
/// the folds of the deterministic splitters and cross_validate's per-fold scores.
/// </summary>
internal sealed record SelectionFixture(string SklearnVersion, List<SplitterCase> Splits, List<CrossValidateCase> CrossValidate)
{
    private static readonly Lazy<SelectionFixture> s_value = new(() => FixtureFile.Load<SelectionFixture>("sklearn_selection.json"));

    public static SelectionFixture Value => s_value.Value;
}

internal sealed record FoldIndices(List<int> Train, List<int> Test);

internal sealed record SplitterCase(
    string Name, string Splitter, int NSplits, int N, List<int>? Labels, List<int>? Groups, int? MaxTrainSize, int? TestSize, int? Gap,
    List<FoldIndices> Folds)
{
    public override string ToString() => Name;
}

internal sealed record CrossValidateCase(string Name, string Data, List<int>? Rows, bool Tight, Dictionary<string, List<double>> Scores)
{
    public override string ToString() => Name;
}
