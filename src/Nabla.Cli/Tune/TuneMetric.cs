using Nabla.Data;
using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>
/// The score <c>nabla tune</c> compares trials by (<c>--metric</c>): one of the test scores <c>nabla train</c> and <c>nabla evaluate</c>
/// report (<see cref="TestScores"/>), measured on each fold's held-out rows, with the direction that is better.
/// </summary>
/// <param name="Key">The score's key: "accuracy", "f1_macro", "r2", "rmse", ...</param>
/// <param name="Task">The task the score measures.</param>
/// <param name="Direction">Whether a greater score is better (accuracy, R²) or a smaller one (the errors).</param>
internal sealed record TuneMetric(string Key, ModelTask Task, SearchDirection Direction)
{
    /// <summary>Every metric, classification's first; the first of each task is its default.</summary>
    public static readonly IReadOnlyList<TuneMetric> All =
    [
        new("accuracy", ModelTask.Classification, SearchDirection.Maximize),
        new("f1_macro", ModelTask.Classification, SearchDirection.Maximize),
        new("precision_macro", ModelTask.Classification, SearchDirection.Maximize),
        new("recall_macro", ModelTask.Classification, SearchDirection.Maximize),
        new("f1_weighted", ModelTask.Classification, SearchDirection.Maximize),
        new("r2", ModelTask.Regression, SearchDirection.Maximize),
        new("rmse", ModelTask.Regression, SearchDirection.Minimize),
        new("mae", ModelTask.Regression, SearchDirection.Minimize),
        new("mse", ModelTask.Regression, SearchDirection.Minimize),
    ];

    /// <summary>The words <c>--metric</c> takes, for its help.</summary>
    public static string Help => string.Join('|', All.Select(metric => metric.Key));

    /// <summary>Whether a greater score is better.</summary>
    public bool IsGreaterBetter => Direction == SearchDirection.Maximize;

    /// <summary>The metric named <paramref name="word"/>.</summary>
    /// <exception cref="CommandInputException">No metric has that name (a usage error); the message lists them.</exception>
    public static TuneMetric Parse(string word) =>
        All.FirstOrDefault(metric => string.Equals(metric.Key, word.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new CommandInputException($"--metric must be one of {string.Join(", ", All.Select(metric => metric.Key))}; got '{word}'.", ExitCodes.Usage);

    /// <summary>The metric a task is scored by when <c>--metric</c> is not given: accuracy, or R².</summary>
    public static TuneMetric DefaultFor(ModelTask task) => All.First(metric => metric.Task == task);

    /// <summary>Refuses a metric of the other task, naming the ones that fit.</summary>
    /// <exception cref="CommandInputException">The metric scores the other task.</exception>
    public void RequireFits(TrainingData data)
    {
        if (Task == data.Task) return;
        string target = data.Preprocessor is TabularPreprocessor tabular ? $"the target '{tabular.Target}' of {data.Name}" : $"the labels of {data.Name}";
        string kind = data.Task == ModelTask.Classification ? "a class (classification)" : "a number (regression)";
        throw new CommandInputException(
            $"--metric {Key} scores a {(Task == ModelTask.Classification ? "classification" : "regression")}, but {target} is {kind}; use one of {string.Join(", ", All.Where(metric => metric.Task == data.Task).Select(metric => metric.Key))}.");
    }
}
