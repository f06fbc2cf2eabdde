using System.Globalization;
using System.Text;

namespace Nabla.Training;

/// <summary>
/// Per-parameter gradient norms and update ratios of a model, with what they suggest: vanishing
/// gradients (the gradients shrink layer by layer toward the input, so the first layers stop
/// learning) or exploding ones (they grow, or are huge, or not finite). Made by <see cref="GradientDiagnostics"/>.
/// </summary>
public sealed class GradientReport
{
    internal GradientReport(int epoch, IReadOnlyList<ParameterGradient> parameters, double spread, bool vanishing, bool exploding, IReadOnlyList<string> findings)
    {
        Epoch = epoch;
        Parameters = parameters;
        Spread = spread;
        VanishingGradients = vanishing;
        ExplodingGradients = exploding;
        Findings = findings;
    }

    /// <summary>The epoch the report averages over, from 1, or 0 for a single inspection.</summary>
    public int Epoch { get; }

    /// <summary>Each parameter in the model's order (input side first for a <see cref="NN.Sequential"/>).</summary>
    public IReadOnlyList<ParameterGradient> Parameters { get; }

    /// <summary>
    /// The gradient RMS of the first weight (a parameter of rank ≥ 2) divided by that of the last:
    /// far below 1 when gradients vanish toward the input, far above when they explode; NaN with fewer than two weights.
    /// </summary>
    public double Spread { get; }

    /// <summary>Whether the gradients vanish toward the input layers.</summary>
    public bool VanishingGradients { get; }

    /// <summary>Whether the gradients explode: grow toward the input, are huge, or are not finite.</summary>
    public bool ExplodingGradients { get; }

    /// <summary>One sentence per problem found, each with what to try; empty when the gradients look healthy.</summary>
    public IReadOnlyList<string> Findings { get; }

    /// <summary>A table of the parameters (name, shape, gradient norm and RMS, weight norm, update ratio), then the findings.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        int width = Math.Max(9, Parameters.Count == 0 ? 0 : Parameters.Max(p => p.Name.Length));
        text.Append(culture, $"{"parameter".PadRight(width)}  {"shape",-12}  {"grad norm",10}  {"grad RMS",10}  {"weight norm",11}  {"update/weight",13}").AppendLine();
        foreach (var p in Parameters)
        {
            string shape = "[" + string.Join(", ", p.Shape) + "]";
            text.Append(culture, $"{p.Name.PadRight(width)}  {shape,-12}  {p.GradientNorm,10:G3}  {p.GradientRms,10:G3}  {p.WeightNorm,11:G3}  {(double.IsNaN(p.UpdateRatio) ? "-" : p.UpdateRatio.ToString("G3", culture)),13}").AppendLine();
        }
        if (Findings.Count == 0) text.Append("No vanishing or exploding gradients.");
        else text.AppendJoin(Environment.NewLine, Findings);
        return text.ToString();
    }
}
