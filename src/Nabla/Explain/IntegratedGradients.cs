using System.Globalization;
using Nabla.Calculus;
using Nabla.NN;

namespace Nabla.Explain;

/// <summary>
/// Integrated gradients (Sundararajan, Taly and Yan, 2017): how much each input feature contributed to a
/// model's output, measured from a <see cref="Baseline"/> x' along the straight path to the input x,
/// <code>
///   attributionᵢ = (xᵢ − x'ᵢ) · ∫₀¹ ∂F/∂xᵢ (x' + α(x − x')) dα
/// </code>
/// where F is the explained output (a class's score, or a regressor's output). The attributions add up to
/// F(x) − F(x') (completeness); the result reports the gap per row, a check on the quadrature.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Attribute"/> integrates by adaptive Gauss–Kronrod quadrature with an error bound, the α points
/// of each round batched into one forward and backward pass; <see cref="AttributeGaussLegendre"/> uses a fixed
/// Gauss–Legendre rule, Captum's default (<c>method="gausslegendre"</c>, 50 steps). A ReLU network is piecewise
/// linear along the path, so its gradient jumps at every unit that switches: a fixed rule's error then falls
/// only as 1/steps. For such a model (<see cref="PiecewiseLinear"/>) <see cref="Attribute"/> instead integrates
/// exactly, segment by segment between the switches, at about two gradients a switch.
/// </para>
/// <para>
/// Evaluate in Float64 (<see cref="DType.Float64"/> inputs and parameters) to reach errors far below Float32's
/// 1e-7 rounding. The model must treat rows independently (put dropout and batch normalization in evaluation mode).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var ig = new IntegratedGradients(model) { AbsoluteTolerance = 1e-9 };
/// var result = ig.Attribute(x, target: 3, Baseline.Zero);   // result.CompletenessError[r] per row
/// </code>
/// </example>
public sealed class IntegratedGradients
{
    /// <summary>The default of <see cref="MaxEvaluations"/>.</summary>
    public const int DefaultMaxEvaluations = 100_000;

    private readonly Func<Tensor, Tensor> _model;

    /// <summary>Explains a function built of differentiable tensor operations, mapping (rows, features...) to (rows) or (rows, outputs).</summary>
    public IntegratedGradients(Func<Tensor, Tensor> model) => _model = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Explains a module's <see cref="Module.Forward"/>; <see cref="PiecewiseLinear"/> is set when every layer of it is linear or piecewise linear.</summary>
    public IntegratedGradients(Module model) : this(model is null ? throw new ArgumentNullException(nameof(model)) : model.Forward) =>
        PiecewiseLinear = PiecewiseLinearPath.Holds(model);

    /// <summary>
    /// Whether the model is piecewise linear in its input (linear and convolution layers, ReLU and leaky ReLU, max and average
    /// pooling, batch normalization in evaluation mode): then <see cref="Attribute"/> integrates exactly, segment by segment between
    /// the points where a unit switches, at about two gradients a switch, instead of by quadrature, whose error falls slowly at the
    /// gradient's jumps. Set by the <see cref="Module"/> constructor; for a function, say so here. Wrongly set for a smooth model,
    /// the walk finds no straight segment and ends at <see cref="MaxEvaluations"/> unconverged.
    /// </summary>
    public bool PiecewiseLinear { get; init; }

    /// <summary>
    /// The requested bound on each row's error: the sum over features of the estimated attribution errors,
    /// which also bounds the completeness gap (apart from the rounding of F). Default 1e-8.
    /// </summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;

    /// <summary>The requested bound on each row's error relative to the sum of the attributions' magnitudes; default 0 (none).</summary>
    public double RelativeTolerance { get; init; }

    /// <summary>How many gradient evaluations (points on the path) each row may use; see <see cref="DefaultMaxEvaluations"/>.</summary>
    public int MaxEvaluations { get; init; } = DefaultMaxEvaluations;

    /// <summary>The attributions of each row of <paramref name="x"/> by adaptive quadrature, with an error bound per row.</summary>
    /// <param name="x">The rows to explain, (rows, features...), floating point.</param>
    /// <param name="target">The output to explain: the class index of a classifier; null for a model with one output.</param>
    /// <param name="baseline">The baseline; <see cref="Baseline.Zero"/> when null.</param>
    /// <exception cref="ArgumentException">The input is not floating point or has no rows, the model's output has no value per row, or the target does not fit it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative or NaN, both are 0, or the budget is below one panel (17 points).</exception>
    public IntegratedGradientsResult Attribute(Tensor x, int? target = null, Baseline? baseline = null)
    {
        if (!(AbsoluteTolerance >= 0) || !(RelativeTolerance >= 0) || AbsoluteTolerance + RelativeTolerance == 0)
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), string.Create(CultureInfo.InvariantCulture,
                $"IntegratedGradients: the tolerances must be 0 or positive and not both 0, got AbsoluteTolerance {AbsoluteTolerance} and RelativeTolerance {RelativeTolerance}."));
        if (MaxEvaluations < VectorQuadrature.PanelPoints)
            throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), MaxEvaluations, $"IntegratedGradients: MaxEvaluations is {MaxEvaluations}, but one Gauss–Kronrod panel needs {VectorQuadrature.PanelPoints} points.");
        // A little above each precision's rounding: gradients and outputs that agree this well are the same segment's.
        double segmentTolerance = x.DType == DType.Float64 ? 1e-11 : 1e-5;
        return Run(x, target, baseline, nameof(Attribute), f => PiecewiseLinear
            ? PiecewiseLinearPath.Integrate(f, segmentTolerance, MaxEvaluations)
            : VectorQuadrature.Adaptive(f.Integrand, f.Length, AbsoluteTolerance, RelativeTolerance, MaxEvaluations));
    }

    /// <summary>
    /// The attributions by the fixed <paramref name="steps"/>-point Gauss–Legendre rule on [0, 1], as Captum's
    /// <c>IntegratedGradients.attribute(method="gausslegendre")</c>: no error bound (NaN), only the completeness gap.
    /// </summary>
    /// <param name="x">The rows to explain, (rows, features...), floating point.</param>
    /// <param name="steps">The points of the rule (Captum's default is 50).</param>
    /// <param name="target">The output to explain: the class index of a classifier; null for a model with one output.</param>
    /// <param name="baseline">The baseline; <see cref="Baseline.Zero"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The input is not floating point or has no rows, the model's output has no value per row, or the target does not fit it.</exception>
    public IntegratedGradientsResult AttributeGaussLegendre(Tensor x, int steps = 50, int? target = null, Baseline? baseline = null)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"IntegratedGradients: a Gauss–Legendre rule needs at least 1 step, not {steps}.");
        return Run(x, target, baseline, nameof(AttributeGaussLegendre), f => VectorQuadrature.GaussLegendre(f.Integrand, f.Length, steps));
    }

    private IntegratedGradientsResult Run(Tensor x, int? target, Baseline? baseline, string method, Func<PathIntegrand, VectorIntegral> integrate)
    {
        ArgumentNullException.ThrowIfNull(x);
        string who = $"IntegratedGradients.{method}";
        if (!x.IsFloatingPoint || x.Rank < 2 || x.Size(0) == 0)
            throw new ArgumentException($"{who}: x must be a floating-point (rows, features...) tensor with at least one row, got {x.DType} of shape {Shapes.Format(x.ShapeArray)}.", nameof(x));
        int rows = x.Size(0);
        int[] rowShape = x.ShapeArray[1..];
        int length = x.Length / rows;
        var start = (baseline ?? Baseline.Zero).For(rowShape, who);
        var inputs = x.ToDoubleArray();

        var attributions = new double[x.Length];
        var error = new double[rows];
        var evaluations = new int[rows];
        var converged = new bool[rows];
        var completeness = new double[rows];
        var baselines = new double[x.Length];
        for (int r = 0; r < rows; r++) start.CopyTo(baselines, r * length);
        var outputs = ModelGradient.Outputs(_model, x, target, who);
        var baselineOutputs = ModelGradient.Outputs(_model, Tensor.FromArray(baselines, x.ShapeArray).To(x.DType), target, who);
        var difference = new double[rows];

        for (int r = 0; r < rows; r++)
        {
            var end = inputs.AsSpan(r * length, length).ToArray();
            var path = new PathIntegrand(_model, start, end, rowShape, x.DType, target, who);
            var integral = integrate(path);
            integral.Value.CopyTo(attributions, r * length);
            (error[r], evaluations[r], converged[r]) = (integral.Error, integral.Evaluations, integral.Converged);
            difference[r] = outputs[r] - baselineOutputs[r];
            completeness[r] = integral.Value.Sum() - difference[r];
        }
        return new IntegratedGradientsResult(Tensor.FromArray(attributions, x.ShapeArray), error, completeness, difference, evaluations, converged);
    }
}
