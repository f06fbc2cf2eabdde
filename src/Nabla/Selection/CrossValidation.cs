using System.Diagnostics;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Selection;

/// <summary>
/// Cross-validation, as scikit-learn's <c>cross_validate</c>: for each fold of a splitter, a fresh
/// model is fitted on the fold's training rows and scored on its held-out rows.
/// </summary>
/// <example>
/// <code>
/// // x: double[,] of measurements, species: string[] of labels
/// var result = CrossValidation.CrossValidate(() => new LogisticRegression(), x, species,
///     new StratifiedKFold(5, shuffle: true, randomState: 42), ["accuracy", "f1_macro"]);
/// Console.WriteLine(result["accuracy"]);   // accuracy 0.96 ± 0.025
/// var ridge = CrossValidation.CrossValidate(() => new Ridge(alpha: 0.1), x, targets, new KFold(5), ["r2", "neg_root_mean_squared_error"]);
/// </code>
/// </example>
/// <remarks>
/// The model comes from a factory, called once per fold, so no fold's fit leaks into another's; it
/// must return a new object each call. By default a classifier is scored by accuracy on
/// <see cref="StratifiedKFold"/>(5) and a regressor by R² on <see cref="KFold"/>(5), as
/// scikit-learn's defaults. Scorers are named as scikit-learn's (<see cref="Scorer.Names"/>).
/// Folds run one after another; each fit may use the cores as the estimator does.
/// </remarks>
public static class CrossValidation
{
    /// <summary>Cross-validates a classifier on samples <paramref name="x"/> and labels <paramref name="y"/> of any type.</summary>
    /// <param name="newModel">Creates a new, unfitted classifier each call: <c>() =&gt; new LogisticRegression(C: 10)</c>.</param>
    /// <param name="x">The samples, (N, F).</param>
    /// <param name="y">The label of each sample.</param>
    /// <param name="cv">The splitter; <see cref="StratifiedKFold"/>(5) by default.</param>
    /// <param name="scoring">The scorers' names; "accuracy" by default.</param>
    /// <param name="groups">The group of each sample as an integer, for <see cref="GroupKFold"/>.</param>
    /// <exception cref="ArgumentNullException">The factory, X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D or its sample count differs from y's.</exception>
    /// <exception cref="ArgumentException">A scorer is unknown or is for regressors, or the splitter cannot split these samples.</exception>
    /// <exception cref="InvalidOperationException">The factory returns null or the same object twice, or a probability scorer meets a model without probabilities or a fold that lacks a class.</exception>
    public static CrossValidationResult CrossValidate<TModel, TLabel>(Func<TModel> newModel, FeatureMatrix x, TLabel[] y,
        ICrossValidator? cv = null, IReadOnlyList<string>? scoring = null, int[]? groups = null)
        where TModel : Classifier<TModel> where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(newModel);
        ArgumentNullException.ThrowIfNull(y);
        var learner = new ClassifierLearner<TLabel>(() =>
        {
            var model = newModel();
            return model is null ? null : new ClassifierCalls<TLabel>(model, (xs, ys) => model.Fit(xs, ys), model.Predict<TLabel>, model.PredictProba,
                () => model.Classes, ((IClassifier)model).HasProbabilities);
        }, y);
        return Run(learner, x, y.Length, cv, scoring, groups);
    }

    /// <summary>Cross-validates a regressor on samples <paramref name="x"/> and targets <paramref name="y"/>, (N) or (N, T).</summary>
    /// <param name="newModel">Creates a new, unfitted regressor each call: <c>() =&gt; new Ridge(alpha: 0.1)</c>.</param>
    /// <param name="x">The samples, (N, F).</param>
    /// <param name="y">The targets.</param>
    /// <param name="cv">The splitter; <see cref="KFold"/>(5) by default.</param>
    /// <param name="scoring">The scorers' names; "r2" by default.</param>
    /// <param name="groups">The group of each sample as an integer, for <see cref="GroupKFold"/>.</param>
    /// <exception cref="ArgumentNullException">The factory, X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D or its sample count differs from y's.</exception>
    /// <exception cref="ArgumentException">A scorer is unknown or is for classifiers, y holds NaN or infinity, or the splitter cannot split these samples.</exception>
    /// <exception cref="InvalidOperationException">The factory returns null or the same object twice.</exception>
    public static CrossValidationResult CrossValidate<TModel>(Func<TModel> newModel, FeatureMatrix x, RegressionTargets y,
        ICrossValidator? cv = null, IReadOnlyList<string>? scoring = null, int[]? groups = null)
        where TModel : Regressor<TModel>
    {
        ArgumentNullException.ThrowIfNull(newModel);
        var design = x.Read(nameof(CrossValidation));
        var targets = y.ToTargets(design.Rows, nameof(CrossValidation));
        var learner = new RegressorLearner(() =>
        {
            var model = newModel();
            return model is null ? null : new RegressorCalls(model, (xs, ys) => model.Fit(xs, ys), model.Predict);
        }, targets);
        return Run(learner, x, targets.Rows, cv, scoring, groups);
    }

    /// <summary>
    /// Cross-validates a pipeline (preprocessing fitted on each fold's training rows only, then its
    /// final estimator): labels of any type for a final classifier, <c>double[]</c> targets for a final regressor.
    /// </summary>
    /// <param name="newPipeline">Creates a new pipeline, with new steps, each call: <c>() =&gt; new Pipeline(new StandardScaler(), new LogisticRegression())</c>.</param>
    /// <param name="x">The samples, (N, F).</param>
    /// <param name="y">The labels, or the targets as <c>double[]</c> for a final regressor.</param>
    /// <param name="cv">The splitter; <see cref="StratifiedKFold"/>(5) for a classifier, <see cref="KFold"/>(5) for a regressor, by default.</param>
    /// <param name="scoring">The scorers' names; "accuracy" or "r2" by default.</param>
    /// <param name="groups">The group of each sample as an integer, for <see cref="GroupKFold"/>.</param>
    /// <exception cref="ArgumentNullException">The factory, X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D or its sample count differs from y's.</exception>
    /// <exception cref="ArgumentException">A scorer is unknown or does not fit the final estimator, the final estimator is a regressor and y is not <c>double[]</c>, or the splitter cannot split these samples.</exception>
    /// <exception cref="InvalidOperationException">The factory returns null or the same object twice, or a probability scorer meets a fold that lacks a class.</exception>
    public static CrossValidationResult CrossValidate<TLabel>(Func<Pipeline> newPipeline, FeatureMatrix x, TLabel[] y,
        ICrossValidator? cv = null, IReadOnlyList<string>? scoring = null, int[]? groups = null)
        where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(newPipeline);
        ArgumentNullException.ThrowIfNull(y);
        // The first pipeline says which it is; it is used for the first fold.
        Pipeline? first = newPipeline();
        ArgumentNullException.ThrowIfNull(first, nameof(newPipeline));
        Pipeline Next()
        {
            var next = first ?? newPipeline();
            first = null;
            return next;
        }
        if (!first.IsClassifier)
        {
            if (y is not double[] values)
                throw new ArgumentException($"CrossValidation: the pipeline ends in a regressor ({first.FinalEstimator.GetType().Name}), so y must be the targets as double[], got {typeof(TLabel).Name}[].", nameof(y));
            var targets = ((RegressionTargets)values).ToTargets(x.Read(nameof(CrossValidation)).Rows, nameof(CrossValidation));
            var regressor = new RegressorLearner(() =>
            {
                var pipeline = Next();
                return pipeline is null ? null : new RegressorCalls(pipeline, (xs, ys) => pipeline.Fit(xs, ys), pipeline.Predict);
            }, targets);
            return Run(regressor, x, targets.Rows, cv, scoring, groups);
        }
        var learner = new ClassifierLearner<TLabel>(() =>
        {
            var pipeline = Next();
            return pipeline is null ? null : new ClassifierCalls<TLabel>(pipeline, (xs, ys) => pipeline.Fit(xs, ys), pipeline.Predict<TLabel>, pipeline.PredictProba,
                () => pipeline.Classes, ((IClassifier)pipeline.FinalEstimator).HasProbabilities);
        }, y);
        return Run(learner, x, y.Length, cv, scoring, groups);
    }

    private static CrossValidationResult Run(FoldLearner learner, FeatureMatrix x, int samples, ICrossValidator? cv, IReadOnlyList<string>? scoring, int[]? groups)
    {
        string who = nameof(CrossValidation);
        var design = x.Read(who);
        if (design.Rows != samples)
            throw new ShapeMismatchException($"{who}: X has {design.Rows} samples, y has {samples}.");
        var scorers = Scorers(learner.Task, scoring);
        cv ??= learner.Task == ModelTask.Classification ? new StratifiedKFold(5) : new KFold(5);
        var folds = cv.Split(samples, learner.ClassCodes, groups);
        bool probabilities = scorers.Any(s => s.NeedsProbabilities);

        var scores = scorers.Select(_ => new double[folds.Count]).ToArray();
        var fitTimes = new TimeSpan[folds.Count];
        var scoreTimes = new TimeSpan[folds.Count];
        for (int f = 0; f < folds.Count; f++)
        {
            var (train, test) = (folds[f].Train, folds[f].Test);
            var xTrain = design.SelectRows(train).ToTensor(x.ResultType);
            var xTest = design.SelectRows(test).ToTensor(x.ResultType);
            long start = Stopwatch.GetTimestamp();
            learner.Fit(xTrain, train);
            fitTimes[f] = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            var heldOut = learner.Predict(xTest, test, probabilities);
            for (int s = 0; s < scorers.Length; s++) scores[s][f] = scorers[s].Score(heldOut);
            scoreTimes[f] = Stopwatch.GetElapsedTime(start);
        }
        return new CrossValidationResult(folds, [.. scorers.Select((s, i) => new MetricScores(s, scores[i]))], fitTimes, scoreTimes);
    }

    /// <summary>The scorers named, checked to fit the task; the estimator's own score when none are named.</summary>
    private static Scorer[] Scorers(ModelTask task, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return [Scorer.Get(task == ModelTask.Classification ? "accuracy" : "r2")];
        var scorers = names.Select(Scorer.Get).ToArray();
        foreach (var scorer in scorers)
        {
            if (scorer.Task != task)
                throw new ArgumentException($"CrossValidation: the scorer '{scorer.Name}' is for {scorer.Task.ToString().ToLowerInvariant()}, but the model is a {(task == ModelTask.Classification ? "classifier" : "regressor")}.", nameof(names));
        }
        var twice = scorers.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new ArgumentException($"CrossValidation: the scorer '{twice.Key}' is named twice.", nameof(names));
        return scorers;
    }
}
