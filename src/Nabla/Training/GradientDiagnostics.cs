using System.Globalization;
using System.Numerics.Tensors;
using Nabla.NN;

namespace Nabla.Training;

/// <summary>
/// Watches the gradients of every parameter: their norms and the size of each optimizer update
/// relative to the weights, and flags vanishing and exploding gradients with what to try. Add it
/// to <see cref="Trainer.Callbacks"/> for one <see cref="GradientReport"/> per epoch (averaged over
/// its steps), or call <see cref="Inspect"/> after a backward pass of your own.
/// </summary>
/// <remarks>
/// Vanishing gradients show as a gradient RMS that collapses from the output layer toward the
/// input (a deep sigmoid network); exploding ones as a gradient RMS that grows toward the input,
/// a huge total norm, or a norm that is not finite (weights that are too large). As a callback it
/// copies the weights once per step to measure the update; it allocates those copies once.
/// </remarks>
public sealed class GradientDiagnostics : ITrainingCallback
{
    private readonly List<GradientReport> _reports = [];
    private string[] _names = [];
    private Tensor[] _parameters = [];
    private Tensor[] _before = [];
    private double[] _gradientNormSum = [], _updateRatioSum = [];
    private int _steps;

    /// <summary>Creates the diagnostics with the thresholds that flag a problem.</summary>
    /// <param name="vanishingSpread">Flag vanishing gradients when the first weight's gradient RMS is below this times the last weight's.</param>
    /// <param name="explodingSpread">Flag exploding gradients when the first weight's gradient RMS is above this times the last weight's.</param>
    /// <param name="explodingNorm">Flag exploding gradients when the joint 2-norm of all gradients is above this.</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is not positive, or the vanishing one is not below 1 and the exploding one above.</exception>
    public GradientDiagnostics(double vanishingSpread = 1e-3, double explodingSpread = 1e3, double explodingNorm = 1e3)
    {
        if (!(vanishingSpread > 0 && vanishingSpread < 1))
            throw new ArgumentOutOfRangeException(nameof(vanishingSpread), vanishingSpread, $"GradientDiagnostics: the vanishing spread must be between 0 and 1, got {vanishingSpread}.");
        if (!(explodingSpread > 1 && double.IsFinite(explodingSpread)))
            throw new ArgumentOutOfRangeException(nameof(explodingSpread), explodingSpread, $"GradientDiagnostics: the exploding spread must be finite and above 1, got {explodingSpread}.");
        if (!(explodingNorm > 0 && double.IsFinite(explodingNorm)))
            throw new ArgumentOutOfRangeException(nameof(explodingNorm), explodingNorm, $"GradientDiagnostics: the exploding norm must be positive and finite, got {explodingNorm}.");
        VanishingSpread = vanishingSpread;
        ExplodingSpread = explodingSpread;
        ExplodingNorm = explodingNorm;
    }

    /// <summary>The spread below which gradients count as vanishing.</summary>
    public double VanishingSpread { get; }

    /// <summary>The spread above which gradients count as exploding.</summary>
    public double ExplodingSpread { get; }

    /// <summary>The joint gradient norm above which gradients count as exploding.</summary>
    public double ExplodingNorm { get; }

    /// <summary>One report per finished epoch of the last fit.</summary>
    public IReadOnlyList<GradientReport> EpochReports => _reports;

    /// <summary>
    /// A report on the gradients the model's parameters hold now (after <c>loss.Backward()</c>);
    /// parameters without a gradient are left out, and no update ratio is measured.
    /// </summary>
    public GradientReport Inspect(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rows = new List<ParameterGradient>();
        foreach (var (name, p) in model.NamedParameters())
            if (p.Grad is { } g) rows.Add(new ParameterGradient(name, p.Shape, Norm(g), Norm(p), double.NaN));
        return Analyze(0, rows);
    }

    void ITrainingCallback.OnTrainBegin(Trainer trainer)
    {
        _reports.Clear();
        var named = trainer.Model.NamedParameters().ToArray();
        _names = [.. named.Select(p => p.Name)];
        _parameters = [.. named.Select(p => p.Parameter)];
        _before = [.. _parameters.Select(Tensor.ZerosLike)];
        _gradientNormSum = new double[_parameters.Length];
        _updateRatioSum = new double[_parameters.Length];
    }

    void ITrainingCallback.OnEpochBegin(Trainer trainer)
    {
        Array.Clear(_gradientNormSum);
        Array.Clear(_updateRatioSum);
        _steps = 0;
    }

    void ITrainingCallback.OnGradients(Trainer trainer)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            _gradientNormSum[i] += p.Grad is { } g ? Norm(g) : 0;
            Array.Copy(p.Storage, _before[i].Storage, p.Length);
        }
    }

    void ITrainingCallback.OnBatchEnd(Trainer trainer, Batch batch)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            // _before becomes the update w_new − w_old in place; it is refilled at the next step.
            if (p.DType == DType.Float32) TensorPrimitives.Subtract(p.Span<float>(), _before[i].Span<float>(), _before[i].Span<float>());
            else TensorPrimitives.Subtract(p.Span<double>(), _before[i].Span<double>(), _before[i].Span<double>());
            double weight = Norm(p);
            _updateRatioSum[i] += weight == 0 ? 0 : Norm(_before[i]) / weight;
        }
        _steps++;
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (_steps == 0) return;
        var rows = new ParameterGradient[_parameters.Length];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new ParameterGradient(_names[i], _parameters[i].Shape, _gradientNormSum[i] / _steps, Norm(_parameters[i]), _updateRatioSum[i] / _steps);
        _reports.Add(Analyze(epoch.Epoch, rows));
    }

    private GradientReport Analyze(int epoch, IReadOnlyList<ParameterGradient> rows)
    {
        var culture = CultureInfo.InvariantCulture;
        var findings = new List<string>();
        double total = 0;
        foreach (var row in rows) total += row.GradientNorm * row.GradientNorm;
        total = Math.Sqrt(total);

        int firstWeight = -1, lastWeight = -1;
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Shape.Count < 2) continue;
            if (firstWeight < 0) firstWeight = i;
            lastWeight = i;
        }
        bool twoWeights = firstWeight >= 0 && lastWeight != firstWeight;
        double spread = twoWeights ? rows[firstWeight].GradientRms / rows[lastWeight].GradientRms : double.NaN;
        string between = twoWeights ? $"the gradient RMS of '{rows[firstWeight].Name}' (input side) is {spread.ToString("G3", culture)} times that of '{rows[lastWeight].Name}' (output side)" : "";

        bool vanishing = spread < VanishingSpread;
        if (vanishing)
            findings.Add($"Vanishing gradients: {between}, so the first layers barely learn. "
                + "Try ReLU, LeakyReLU or GELU instead of sigmoid or tanh, Kaiming initialisation (Init.KaimingNormal), normalisation layers (BatchNorm1d, LayerNorm), residual connections, or fewer layers.");

        string? explodingWhy = !double.IsFinite(total) ? "the gradients are not finite (NaN or infinite)"
            : spread > ExplodingSpread ? between
            : total > ExplodingNorm ? string.Create(culture, $"the joint gradient norm is {total:G3}, above {ExplodingNorm:G3}")
            : null;
        if (explodingWhy is not null)
            findings.Add($"Exploding gradients: {explodingWhy}. "
                + "Try clipping gradients (Trainer.ClipGradNorm = 1), a lower learning rate, smaller initial weights (Init.XavierUniform or Init.KaimingUniform), or normalisation layers (BatchNorm1d, LayerNorm).");
        return new GradientReport(epoch, rows, spread, vanishing, explodingWhy is not null, findings);
    }

    private static double Norm(Tensor t) =>
        t.DType == DType.Float32 ? TensorPrimitives.Norm<float>(t.Span<float>()) : TensorPrimitives.Norm<double>(t.Span<double>());
}
