using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// What the learning-rate finder measured, read for a person: the rate to train with, rounded to two
/// significant digits, and the range of rates over which the loss falls.
/// </summary>
/// <param name="Curve">The library's record of the run: each rate tried, its loss and the smoothed loss.</param>
/// <param name="SuggestedLearningRate">
/// The finder's suggestion rounded to two significant digits: a rate a person can type, so that
/// <c>--lr 0.0032</c> repeats an <c>--lr auto</c> run exactly. The rounding moves it by at most 5%,
/// less than the factor of about 1.2 between neighbouring rates of the search.
/// </param>
/// <param name="FallsFrom">The rate where the smoothed loss has made a tenth of its fall to its lowest, or null when it never falls.</param>
/// <param name="FallsTo">The rate of the lowest smoothed loss, or null when the loss never falls.</param>
internal sealed record LearningRateSearchResult(LearningRateFinderResult Curve, double SuggestedLearningRate, double? FallsFrom, double? FallsTo)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The share of the smoothed loss's whole fall that marks where the falling range begins.</summary>
    private const double FallStart = 0.1;

    /// <summary>Reads the rate to suggest and the falling range from the finder's curve.</summary>
    public static LearningRateSearchResult Of(LearningRateFinderResult curve)
    {
        var smoothed = curve.SmoothedLosses;
        int lowest = 0;
        // NaN compares false, so a run that ended in NaN keeps its last finite minimum.
        for (int i = 1; i < smoothed.Count; i++)
            if (smoothed[i] < smoothed[lowest]) lowest = i;
        double fall = smoothed[0] - smoothed[lowest];
        double? from = null, to = null;
        if (fall > 0)
        {
            double threshold = smoothed[0] - FallStart * fall;
            int start = 0;
            while (!(smoothed[start] <= threshold)) start++;
            (from, to) = (curve.LearningRates[start], curve.LearningRates[lowest]);
        }
        return new LearningRateSearchResult(curve, Rounded(curve.SuggestedLearningRate), from, to);
    }

    /// <summary>A rate as the command prints it and as <c>--lr</c> reads it back: "0.0032", "1.2e-05".</summary>
    public static string Text(double rate) => rate.ToString("G2", Invariant).Replace("E-0", "e-", StringComparison.Ordinal).Replace('E', 'e');

    /// <summary>"LR finder: suggests lr 0.0032, where the loss falls fastest; it falls from lr 0.0001 to 0.056 (its lowest), then rises."</summary>
    public string Summary()
    {
        var rates = Curve.LearningRates;
        string tried = $"{rates.Count} rates from {Text(rates[0])} to {Text(rates[^1])}";
        string after = Curve.StoppedEarly ? ", then explodes (the search stopped there)" : "";
        return FallsFrom is { } from && FallsTo is { } to
            ? $"LR finder: suggests lr {Text(SuggestedLearningRate)}, where the loss falls fastest; it falls from lr {Text(from)} to {Text(to)} (its lowest){after}; {tried} tried."
            : $"LR finder: the loss did not fall over the {tried} tried; it suggests lr {Text(SuggestedLearningRate)}, a tenth of the rate with the lowest loss, but check the data and the model.";
    }

    /// <summary>The JSON <c>learningRateFinder</c> object: the suggestion, the falling range and the whole curve (null where a loss was not finite).</summary>
    public JsonObject ToJson() => new()
    {
        ["suggestedLearningRate"] = SuggestedLearningRate,
        ["fallsFrom"] = FallsFrom,
        ["fallsTo"] = FallsTo,
        ["stoppedEarly"] = Curve.StoppedEarly,
        ["learningRates"] = Numbers(Curve.LearningRates),
        ["losses"] = Numbers(Curve.Losses),
        ["smoothedLosses"] = Numbers(Curve.SmoothedLosses),
    };

    private static JsonArray Numbers(IReadOnlyList<double> values) =>
        new([.. values.Select(value => double.IsFinite(value) ? JsonValue.Create(value) : null)]);

    private static double Rounded(double rate) => double.Parse(rate.ToString("G2", Invariant), NumberStyles.Float, Invariant);
}
