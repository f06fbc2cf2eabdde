using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Models;

/// <summary>
/// A fitted estimator in a model file: its state (kind, settings, fitted values, tensors, classes;
/// <see cref="EstimatorState"/>) and the estimator rebuilt from that state, which predicts. Built
/// from the state both when saving and when loading, so a saved model predicts as a loaded one.
/// </summary>
internal sealed class EstimatorContent : ModelContent
{
    private EstimatorContent(EstimatorState state, object estimator)
    {
        State = state;
        Estimator = estimator;
        Task = EstimatorKinds.IsClassifier(state.Kind) ? ModelTask.Classification : ModelTask.Regression;
        InputShape = estimator is Estimator fitted ? [fitted.NFeaturesIn] : [2];
        ParameterCount = state.Tensors.Where(t => t.Value.DType != DType.Int32 && t.Key != NotAParameter).Sum(t => (long)t.Value.Length);
    }

    // A recommender keeps its training curve among its tensors: a record of the fit, not a parameter.
    private const string NotAParameter = "loss_curve";

    /// <summary>The state the file holds.</summary>
    public EstimatorState State { get; }

    /// <summary>The fitted estimator rebuilt from <see cref="State"/>.</summary>
    public object Estimator { get; }

    public override string Kind => State.Kind;

    public override ModelTask Task { get; }

    public override IReadOnlyList<int> InputShape { get; }

    public override int Outputs => Estimator switch
    {
        IClassifier classifier => classifier.Classes.Count,
        IRegressor regressor => regressor.NTargets,
        _ => 1,
    };

    public override long ParameterCount { get; }

    /// <summary>The state of a fitted estimator and its copy rebuilt from it.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">It holds something a model file cannot (labels of an unsupported type, batch normalisation).</exception>
    public static EstimatorContent Of(object estimator)
    {
        var state = EstimatorKinds.Export(estimator);
        return new EstimatorContent(state, EstimatorKinds.Restore(state));
    }

    /// <summary>The estimator a file's state describes, every part of it checked.</summary>
    /// <exception cref="InvalidDataException">A part is missing, malformed, out of range or unexpected; the message says which.</exception>
    public static EstimatorContent Load(EstimatorState state) => new(state, EstimatorKinds.Restore(state));

    // An estimator predicts all the rows at once; its memory is its weights and a few values per row, not a network's layers.
    public override Tensor Predict(Tensor features, MemoryLimit limit) => Estimator switch
    {
        IRegressor regressor => regressor.Predict(features),
        IDecisionFunction scores => scores.DecisionFunction(features),
        IClassifier classifier => classifier.PredictProba(features),
        IRecommender recommender => Scores(recommender, features),
        _ => throw new InvalidOperationException($"ModelFile: no prediction for a {Estimator.GetType().Name}."),
    };

    /// <summary>The decision function (or, without one, the probabilities), the predicted class and the probabilities when the classifier has them, Float64.</summary>
    public override (Tensor Outputs, Tensor Indices, Tensor? Probabilities) Classify(Tensor features, MemoryLimit limit)
    {
        var classifier = (IClassifier)Estimator;
        var probabilities = classifier.HasProbabilities ? classifier.PredictProba(features) : null;
        var outputs = Estimator is IDecisionFunction scores ? scores.DecisionFunction(features) : probabilities!;
        return (outputs, Tensor.FromArray(classifier.PredictClassIndices(features)), probabilities);
    }

    public override Tensor ViewAsInput(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long perRow = rows.ShapeArray.Skip(1).Aggregate(1L, (n, d) => n * d);
        if (rows.Rank < 2 || perRow != InputShape[0])
            throw new ShapeMismatchException($"ModelFile: the {Kind} reads rows of {InputShape[0]} values, got shape {Shapes.Format(rows.ShapeArray)}.");
        return rows.Rank == 2 ? rows : rows.Reshape(rows.Shape[0], InputShape[0]);
    }

    public override IReadOnlyDictionary<string, Tensor> TensorsToSave() => State.Tensors;

    public override void AddMetadata(IDictionary<string, string> metadata)
    {
        metadata["settings"] = State.Settings;
        metadata["fitted"] = State.Fitted;
    }

    /// <summary>A recommender's scores (predicted ratings, or preference scores) of rows of (user id, item id): whole numbers, of any element type.</summary>
    private static Tensor Scores(IRecommender model, Tensor pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Rank != 2 || pairs.Shape[1] != 2)
            throw new ShapeMismatchException($"ModelFile.Predict: a recommender reads rows of (user, item) ids, shape [rows, 2]; got {Shapes.Format(pairs.ShapeArray)}.");
        var ids = pairs.ToDoubleArray();
        var ints = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] != Math.Floor(ids[i]) || ids[i] < int.MinValue || ids[i] > int.MaxValue)
                throw new ArgumentException($"ModelFile.Predict: row {i / 2} has {(i % 2 == 0 ? "user" : "item")} id {ids[i].ToString(CultureInfo.InvariantCulture)}, which is not a whole number in the range of Int32.", nameof(pairs));
            ints[i] = (int)ids[i];
        }
        var users = new int[ints.Length / 2];
        var items = new int[users.Length];
        for (int r = 0; r < users.Length; r++) (users[r], items[r]) = (ints[2 * r], ints[2 * r + 1]);
        return Tensor.FromArray(model.Predict(users, items));
    }
}
