namespace Nabla.Cli;

/// <summary>The words of <c>nabla tune</c>'s choice options.</summary>
internal static class TuneChoices
{
    /// <summary><c>--search</c>.</summary>
    public static readonly OptionChoices<SearchKind> Search = OptionChoices.ForEnum<SearchKind>();

    /// <summary><c>--model</c>: auto (null) searches across the model families that fit the task; the others are <c>nabla train</c>'s models that have settings to tune.</summary>
    public static readonly OptionChoices<ModelKind?> Model = new(
        ("auto", null), ("mlp", ModelKind.Mlp), ("logistic", ModelKind.Logistic), ("svm", ModelKind.Svm), ("ridge", ModelKind.Ridge), ("cnn", ModelKind.Cnn));
}
