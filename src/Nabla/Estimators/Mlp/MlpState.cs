using System.Text.Json.Nodes;
using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> as saved states, from their public
/// fitted attributes only: the settings (<see cref="MlpOptions"/> by scikit-learn's names, without
/// the verbose output, progress and callback objects), each layer's weights as "coefs.i" (inputs,
/// outputs) and bias as "intercepts.i" (outputs), Float64 as <c>Coefs</c> and <c>Intercepts</c>
/// give them, and a classifier's classes.
/// </summary>
/// <remarks>
/// A network with batch normalisation is refused: its running statistics are not among the fitted
/// attributes. Dropout is kept as a setting and, as in any prediction, not applied. The loss curve
/// and counters of the fit (<c>NIter</c>, <c>Loss</c>, …) are not kept: a loaded estimator predicts
/// as the saved one, and a warm start continues from its weights.
/// </remarks>
internal static class MlpState
{
    /// <summary>The regressor's kind in a model file.</summary>
    public const string RegressorKind = "mlp_regressor";

    /// <summary>The classifier's kind in a model file.</summary>
    public const string ClassifierKind = "mlp_classifier";

    /// <summary>The regressor's fitted state.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">It normalises batches, whose statistics a model file cannot hold.</exception>
    public static EstimatorState Export(MlpRegressor model) =>
        State(RegressorKind, model.Options, Settings(model.Options), model.FittedState(), model.Coefs, model.Intercepts, null);

    /// <summary>The classifier's fitted state, with "class_weight" among the settings.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">It normalises batches, or its labels are of a type a model file cannot hold.</exception>
    public static EstimatorState Export(MlpClassifier model)
    {
        var settings = Settings(model.Options);
        settings["class_weight"] = StateSection.Node(model.ClassWeight);
        return State(ClassifierKind, model.Options, settings, model.FittedState(), model.Coefs, model.Intercepts, model.ClassesState());
    }

    /// <summary>The fitted regressor a saved state describes; the settings are checked as the constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range.</exception>
    public static MlpRegressor Regressor(StateReader state)
    {
        var o = Read(state.Settings);
        var model = StateReader.Build(() => new MlpRegressor(o.HiddenLayerSizes, o.Activation, o.Solver, o.Alpha, o.BatchSize, o.LearningRate,
            o.LearningRateInit, o.PowerT, o.MaxIter, o.Shuffle, o.RandomState, o.Tol, o.Verbose, o.WarmStart, o.Momentum, o.NesterovsMomentum,
            o.EarlyStopping, o.ValidationFraction, o.Beta1, o.Beta2, o.Epsilon, o.NIterNoChange, o.MaxFun, o.Dropout, o.BatchNorm,
            o.EarlyStoppingMetric, o.DType));
        var (features, targets, _) = model.RestoreFitted(state);
        var (coefs, intercepts) = Weights(state, model.Options, features, targets);
        model.RestoreWeights(coefs, intercepts);
        return model;
    }

    /// <summary>The fitted classifier a saved state describes; the settings are checked as the constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value, tensor or class is missing, malformed or out of range.</exception>
    public static MlpClassifier Classifier(StateReader state)
    {
        var o = Read(state.Settings);
        var classWeight = state.Settings.Choice<ClassWeight>("class_weight");
        var model = StateReader.Build(() => new MlpClassifier(o.HiddenLayerSizes, o.Activation, o.Solver, o.Alpha, o.BatchSize, o.LearningRate,
            o.LearningRateInit, o.PowerT, o.MaxIter, o.Shuffle, o.RandomState, o.Tol, o.Verbose, o.WarmStart, o.Momentum, o.NesterovsMomentum,
            o.EarlyStopping, o.ValidationFraction, o.Beta1, o.Beta2, o.Epsilon, o.NIterNoChange, o.MaxFun, o.Dropout, o.BatchNorm,
            o.EarlyStoppingMetric, o.DType, classWeight: classWeight));
        var (labels, features) = model.RestoreFitted(state);
        var (coefs, intercepts) = Weights(state, model.Options, features, labels.Count == 2 ? 1 : labels.Count);
        model.RestoreWeights(coefs, intercepts);
        return model;
    }

    private static EstimatorState State(string kind, MlpOptions options, JsonObject settings, JsonObject fitted,
        IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts, ClassesText? classes)
    {
        if (options.BatchNorm)
            throw new ArgumentException($"{kind}: a network with batch normalisation cannot be saved: its running statistics are not among the fitted attributes; fit with batchNorm: false to save it.");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < coefs.Count; i++)
        {
            tensors[$"coefs.{i}"] = coefs[i];
            tensors[$"intercepts.{i}"] = intercepts[i];
        }
        return new EstimatorState(kind, settings.ToJsonString(), fitted.ToJsonString(), tensors, classes);
    }

    private static JsonObject Settings(MlpOptions o) => new()
    {
        ["hidden_layer_sizes"] = new JsonArray([.. o.HiddenLayerSizes.Select(size => (JsonNode)size)]),
        ["activation"] = StateSection.Node(o.Activation), ["solver"] = StateSection.Node(o.Solver), ["alpha"] = o.Alpha, ["batch_size"] = o.BatchSize,
        ["learning_rate"] = StateSection.Node(o.LearningRate), ["learning_rate_init"] = o.LearningRateInit, ["power_t"] = o.PowerT,
        ["max_iter"] = o.MaxIter, ["shuffle"] = o.Shuffle, ["random_state"] = o.RandomState, ["tol"] = o.Tol, ["verbose"] = o.Verbose,
        ["warm_start"] = o.WarmStart, ["momentum"] = o.Momentum, ["nesterovs_momentum"] = o.NesterovsMomentum, ["early_stopping"] = o.EarlyStopping,
        ["validation_fraction"] = o.ValidationFraction, ["beta_1"] = o.Beta1, ["beta_2"] = o.Beta2, ["epsilon"] = o.Epsilon,
        ["n_iter_no_change"] = o.NIterNoChange, ["max_fun"] = o.MaxFun, ["dropout"] = o.Dropout, ["batch_norm"] = o.BatchNorm,
        ["early_stopping_metric"] = StateSection.Node(o.EarlyStoppingMetric), ["dtype"] = StateSection.Node(o.DType),
    };

    /// <summary>The settings both MLP estimators share, unchecked: the constructor checks them.</summary>
    private sealed record Options(int[] HiddenLayerSizes, Activation Activation, Solver Solver, double Alpha, int? BatchSize,
        MlpLearningRate LearningRate, double LearningRateInit, double PowerT, int MaxIter, bool Shuffle, ulong RandomState, double Tol,
        int Verbose, bool WarmStart, double Momentum, bool NesterovsMomentum, bool EarlyStopping, double ValidationFraction, double Beta1,
        double Beta2, double Epsilon, int NIterNoChange, int MaxFun, double Dropout, bool BatchNorm, MlpValidationMetric EarlyStoppingMetric, DType DType);

    /// <exception cref="InvalidDataException">A setting is missing or of the wrong type, or batch normalisation is on.</exception>
    private static Options Read(StateSection s)
    {
        var options = new Options(s.Integers("hidden_layer_sizes", int.MinValue), s.Choice<Activation>("activation"), s.Choice<Solver>("solver"),
            s.Number("alpha"), s.NullableInteger("batch_size"), s.Choice<MlpLearningRate>("learning_rate"), s.Number("learning_rate_init"),
            s.Number("power_t"), s.Integer("max_iter"), s.Flag("shuffle"), s.Seed("random_state"), s.Number("tol"), s.Verbosity("verbose"),
            s.Flag("warm_start"), s.Number("momentum"), s.Flag("nesterovs_momentum"), s.Flag("early_stopping"), s.Number("validation_fraction"),
            s.Number("beta_1"), s.Number("beta_2"), s.Number("epsilon"), s.Integer("n_iter_no_change"), s.Integer("max_fun"), s.Number("dropout"),
            s.Flag("batch_norm"), s.Choice<MlpValidationMetric>("early_stopping_metric"), s.Choice<DType>("dtype"));
        if (options.BatchNorm)
            throw new InvalidDataException("its settings have \"batch_norm\" true, but a model file holds no batch-normalisation statistics");
        return options;
    }

    /// <summary>Each layer's weights and bias, checked against the layer sizes the settings and fitted values give, before any network is built.</summary>
    private static (Tensor[] Coefs, Tensor[] Intercepts) Weights(StateReader state, MlpOptions options, int features, int outputs)
    {
        int[] units = [features, .. options.HiddenLayerSizes, outputs];
        var coefs = new Tensor[units.Length - 1];
        var intercepts = new Tensor[units.Length - 1];
        for (int i = 0; i < coefs.Length; i++)
        {
            coefs[i] = state.Tensor($"coefs.{i}", DType.Float64, units[i], units[i + 1]);
            intercepts[i] = state.Tensor($"intercepts.{i}", DType.Float64, units[i + 1]);
        }
        return (coefs, intercepts);
    }
}
