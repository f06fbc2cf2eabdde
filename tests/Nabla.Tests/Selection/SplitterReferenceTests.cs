using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>
/// The deterministic splitters against scikit-learn 1.2 (Fixtures/sklearn_selection.json): KFold and
/// StratifiedKFold unshuffled, GroupKFold (groups of unequal sizes, many ties) and TimeSeriesSplit
/// (gap, testSize, maxTrainSize) give exactly scikit-learn's train and test indices, fold by fold.
/// </summary>
public class SplitterReferenceTests
{
    public static TheoryData<string> Cases() => [.. SelectionFixture.Value.Splits.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Folds_EqualScikitLearns(string name)
    {
        var c = SelectionFixture.Value.Splits.Single(c => c.Name == name);
        IReadOnlyList<Fold> folds = c.Splitter switch
        {
            "KFold" => new KFold(c.NSplits).Split(c.N),
            "StratifiedKFold" => new StratifiedKFold(c.NSplits).Split(c.N, labels: c.Labels!.ToArray()),
            "GroupKFold" => new GroupKFold(c.NSplits).Split(c.N, groups: c.Groups!.ToArray()),
            "TimeSeriesSplit" => new TimeSeriesSplit(c.NSplits, c.MaxTrainSize, c.TestSize, c.Gap ?? 0).Split(c.N),
            _ => throw new InvalidDataException($"{name}: unknown splitter {c.Splitter}"),
        };
        Assert.Equal(c.Folds.Count, folds.Count);
        for (int f = 0; f < folds.Count; f++)
        {
            Assert.True(c.Folds[f].Test.SequenceEqual(folds[f].Test), $"{name}: fold {f} tests [{string.Join(",", folds[f].Test)}], scikit-learn [{string.Join(",", c.Folds[f].Test)}]");
            Assert.True(c.Folds[f].Train.SequenceEqual(folds[f].Train), $"{name}: fold {f} trains on other samples than scikit-learn's");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TypedLabelsAndGroups_GiveTheSameFoldsAsCodes(string name)
    {
        // Labels and groups as text sort differently from their numbers ("17" < "4"), so the typed
        // overloads are checked with names that keep the numeric order.
        var c = SelectionFixture.Value.Splits.Single(c => c.Name == name);
        if (c.Splitter is not ("StratifiedKFold" or "GroupKFold")) return;
        var codes = (c.Labels ?? c.Groups)!;
        var text = codes.Select(v => $"g{v:D5}").ToArray();
        var typed = c.Splitter == "StratifiedKFold" ? new StratifiedKFold(c.NSplits).Split(text) : new GroupKFold(c.NSplits).Split(text);
        for (int f = 0; f < typed.Count; f++) Assert.Equal(c.Folds[f].Test, typed[f].Test);
    }
}
