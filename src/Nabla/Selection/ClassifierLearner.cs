using Nabla.Data;

namespace Nabla.Selection;

/// <summary>The calls cross-validation makes on one fresh classifier, whatever its type (an estimator or a pipeline).</summary>
internal sealed record ClassifierCalls<TLabel>(
    object Model, Action<FeatureMatrix, TLabel[]> Fit, Func<FeatureMatrix, TLabel[]> Predict, Func<FeatureMatrix, Tensor> PredictProba,
    Func<IReadOnlyList<object>> Classes, bool HasProbabilities) where TLabel : notnull;

/// <summary>
/// Cross-validates classifiers on labels of any type: the labels are coded by the sorted classes of
/// the whole data set, so that scores of folds whose models saw different classes stay comparable.
/// </summary>
internal sealed class ClassifierLearner<TLabel> : FoldLearner where TLabel : notnull
{
    private readonly Func<ClassifierCalls<TLabel>?> _fresh;
    private readonly TLabel[] _y;
    private readonly Dictionary<TLabel, int> _code;
    private readonly int[] _codes;
    private ClassifierCalls<TLabel>? _model;

    public ClassifierLearner(Func<ClassifierCalls<TLabel>?> fresh, TLabel[] y)
    {
        (_fresh, _y) = (fresh, y);
        _code = LabelOrder.IndexOf(LabelOrder.Unique(y), nameof(CrossValidation));
        _codes = Array.ConvertAll(y, label => _code[label]);
    }

    public override ModelTask Task => ModelTask.Classification;

    public override int[] ClassCodes => _codes;

    public override void Fit(Tensor x, int[] rows)
    {
        _model = Fresh(_fresh, calls => calls.Model);
        _model.Fit(x, Array.ConvertAll(rows, r => _y[r]));
    }

    public override HeldOut Predict(Tensor x, int[] rows, bool probabilities)
    {
        var model = _model!;
        var predicted = Array.ConvertAll(model.Predict(x), label => _code[label]);
        return new HeldOut(Array.ConvertAll(rows, r => _codes[r]), predicted, _code.Count, probabilities ? Probabilities(model, x) : null);
    }

    /// <summary>The model's probabilities with a column for every class of the data set, in code order.</summary>
    /// <exception cref="InvalidOperationException">The model gives no probabilities, or its training rows lacked a class.</exception>
    private double[,] Probabilities(ClassifierCalls<TLabel> model, Tensor x)
    {
        string name = model.Model.GetType().Name;
        if (!model.HasProbabilities)
            throw new InvalidOperationException($"CrossValidation: {name} gives no probabilities, which the scorer needs; choose a scorer on predicted labels, such as accuracy or f1_macro.");
        var classes = model.Classes();
        if (classes.Count != _code.Count)
            throw new InvalidOperationException(
                $"CrossValidation: a fold's training rows hold {classes.Count} of the {_code.Count} classes, so {name} has no probability for the others; use stratified folds (StratifiedKFold) or shuffle the rows.");
        var proba = model.PredictProba(x).ToDoubleArray();
        int n = proba.Length / classes.Count;
        var result = new double[n, _code.Count];
        for (int column = 0; column < classes.Count; column++)
        {
            int code = _code[(TLabel)classes[column]];
            for (int i = 0; i < n; i++) result[i, code] = proba[i * classes.Count + column];
        }
        return result;
    }
}
