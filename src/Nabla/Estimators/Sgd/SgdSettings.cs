using System.Text.Json.Nodes;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// The settings <see cref="SgdRegressor"/> and <see cref="SgdClassifier"/> share, as scikit-learn's
/// <c>BaseSGD</c> takes them; each estimator's constructor takes them by scikit-learn's names and
/// checks them, and <c>Settings</c> shows them back.
/// </summary>
/// <param name="Penalty">The penalty on the weights.</param>
/// <param name="Alpha">The penalty's strength (for the Optimal schedule, also its rate).</param>
/// <param name="L1Ratio">The L1 share of the elastic-net penalty.</param>
/// <param name="FitIntercept">Whether intercepts are learned.</param>
/// <param name="MaxIter">The most epochs.</param>
/// <param name="Tol">The improvement an epoch must make, or null for none (all MaxIter epochs run).</param>
/// <param name="Shuffle">Whether the samples are shuffled before each epoch.</param>
/// <param name="RandomState">The seed of the shuffles and of the early-stopping split.</param>
/// <param name="LearningRate">The step-size schedule.</param>
/// <param name="Eta0">The initial step size.</param>
/// <param name="PowerT">The exponent of the InvScaling schedule.</param>
/// <param name="EarlyStopping">Whether a held-out share of the samples stops the fit.</param>
/// <param name="ValidationFraction">The held-out share for early stopping.</param>
/// <param name="NIterNoChange">How many epochs without improvement stop the fit.</param>
/// <param name="Average">0 for no averaging, else the update averaging starts at (1: from the first).</param>
public sealed record SgdSettings(Penalty Penalty, double Alpha, double L1Ratio, bool FitIntercept, int MaxIter, double? Tol,
    bool Shuffle, ulong RandomState, SgdLearningRate LearningRate, double Eta0, double PowerT, bool EarlyStopping,
    double ValidationFraction, int NIterNoChange, int Average)
{
    /// <summary>The estimator's own settings (<paramref name="first"/>), then these as a saved state writes them, by scikit-learn's names ("l1_ratio", "tol" null for none, …).</summary>
    internal JsonObject ToJson(JsonObject first)
    {
        foreach (var (name, value) in Shared()) first[name] = value?.DeepClone();
        return first;
    }

    private JsonObject Shared() => new()
    {
        ["penalty"] = StateSection.Node(Penalty), ["alpha"] = Alpha, ["l1_ratio"] = L1Ratio, ["fit_intercept"] = FitIntercept, ["max_iter"] = MaxIter,
        ["tol"] = Tol, ["shuffle"] = Shuffle, ["random_state"] = RandomState, ["learning_rate"] = StateSection.Node(LearningRate), ["eta0"] = Eta0,
        ["power_t"] = PowerT, ["early_stopping"] = EarlyStopping, ["validation_fraction"] = ValidationFraction, ["n_iter_no_change"] = NIterNoChange,
        ["average"] = Average,
    };

    /// <summary>The settings <see cref="ToJson"/> wrote, unchecked: the estimator's constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or of the wrong type.</exception>
    internal static SgdSettings Read(StateSection s) => new(s.Choice<Penalty>("penalty"), s.Number("alpha"), s.Number("l1_ratio"), s.Flag("fit_intercept"),
        s.Integer("max_iter"), s.NullableNumber("tol"), s.Flag("shuffle"), s.Seed("random_state"), s.Choice<SgdLearningRate>("learning_rate"),
        s.Number("eta0"), s.Number("power_t"), s.Flag("early_stopping"), s.Number("validation_fraction"), s.Integer("n_iter_no_change"), s.Integer("average"));

    /// <summary>Checks every setting, naming the estimator and the value in the message.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    internal SgdSettings Checked(string who)
    {
        if (!Enum.IsDefined(Penalty))
            throw new ArgumentOutOfRangeException(nameof(Penalty).ToLowerInvariant(), $"{who}: penalty must be L2, L1, ElasticNet or None, got {Penalty}");
        if (!Enum.IsDefined(LearningRate))
            throw new ArgumentOutOfRangeException("learningRate", $"{who}: learning rate must be Constant, Optimal, InvScaling or Adaptive, got {LearningRate}");
        Hyperparameters.NonNegative(Alpha, $"{who}: alpha", "alpha");
        if (LearningRate == SgdLearningRate.Optimal && Alpha == 0)
            throw new ArgumentOutOfRangeException("alpha", $"{who}: alpha must be positive with the Optimal learning rate (η = 1 / (α (t + t₀))), got 0");
        Hyperparameters.Fraction(L1Ratio, $"{who}: l1Ratio", "l1Ratio");
        Hyperparameters.AtLeastOne(MaxIter, $"{who}: maxIter", "maxIter");
        if (Tol is double tol) Hyperparameters.NonNegative(tol, $"{who}: tol", "tol");
        // scikit-learn accepts eta0 = 0 for the Optimal schedule, which ignores it.
        if (LearningRate == SgdLearningRate.Optimal) Hyperparameters.NonNegative(Eta0, $"{who}: eta0", "eta0");
        else Hyperparameters.Positive(Eta0, $"{who}: eta0", "eta0");
        if (!double.IsFinite(PowerT))
            throw new ArgumentOutOfRangeException("powerT", $"{who}: powerT must be finite, got {Hyperparameters.Format(PowerT)}");
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException("validationFraction", $"{who}: validationFraction must be in (0, 1), got {Hyperparameters.Format(ValidationFraction)}");
        Hyperparameters.AtLeastOne(NIterNoChange, $"{who}: nIterNoChange", "nIterNoChange");
        if (Average < 0)
            throw new ArgumentOutOfRangeException("average", $"{who}: average must be 0 (off), 1 (average every update) or the update to start averaging at, got {Average}");
        return this;
    }
}
