using System.Globalization;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Limited-memory BFGS, as <c>torch.optim.LBFGS</c> (PyTorch 1.13): each <see cref="Step(Func{Tensor})"/>
/// runs up to <see cref="MaxIterations"/> quasi-Newton iterations, calling the closure to
/// re-evaluate the loss and gradients, with a fixed step or a strong Wolfe line search.
/// </summary>
/// <remarks>
/// All parameters are treated as one flat vector. The search direction is −H·g, with H the inverse
/// Hessian approximated from the last <see cref="HistorySize"/> steps s and gradient changes y by
/// the two-loop recursion, scaled by sᵀy/yᵀy. The history and direction are kept in Float64 whatever
/// the parameters' type, and carried from one <c>Step</c> to the next as PyTorch does.
/// </remarks>
public sealed class Lbfgs : Optimizer
{
    private readonly int _parameterCount;
    private readonly List<double[]> _oldDirections = [];
    private readonly List<double[]> _oldSteps = [];
    private readonly List<double> _rho = [];
    private double[]? _direction;
    private double[]? _previousGradient;
    private double[]? _alpha;
    private double _t;
    private double _hessianDiagonal = 1;
    private double _previousLoss;
    private long _functionEvaluations;
    private long _iterations;

    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step length along the direction (≥ 0); the line search's first trial.</param>
    /// <param name="maxIterations">Iterations per <c>Step</c> (≥ 1).</param>
    /// <param name="maxEvaluations">Closure calls per <c>Step</c> (≥ 1); by default maxIterations·5/4.</param>
    /// <param name="toleranceGrad">Stop when the largest gradient component is at most this (≥ 0).</param>
    /// <param name="toleranceChange">Stop when the loss or the step changes less than this (≥ 0).</param>
    /// <param name="historySize">How many past steps the Hessian approximation uses (≥ 1).</param>
    /// <param name="lineSearch">Fixed steps, or a strong Wolfe line search.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public Lbfgs(IEnumerable<Tensor> parameters, double learningRate = 1, int maxIterations = 20, int? maxEvaluations = null,
        double toleranceGrad = 1e-7, double toleranceChange = 1e-9, int historySize = 100, LineSearch lineSearch = LineSearch.None)
        : base(parameters, learningRate, [], countsSteps: false)
    {
        MaxIterations = Hyperparameters.AtLeastOne(maxIterations, "max iterations", nameof(maxIterations));
        MaxEvaluations = Hyperparameters.AtLeastOne(maxEvaluations ?? maxIterations * 5 / 4, "max evaluations", nameof(maxEvaluations));
        ToleranceGrad = Hyperparameters.NonNegative(toleranceGrad, "gradient tolerance", nameof(toleranceGrad));
        ToleranceChange = Hyperparameters.NonNegative(toleranceChange, "change tolerance", nameof(toleranceChange));
        HistorySize = Hyperparameters.AtLeastOne(historySize, "history size", nameof(historySize));
        if (!Enum.IsDefined(lineSearch))
            throw new ArgumentOutOfRangeException(nameof(lineSearch), $"line search must be None or StrongWolfe, got {lineSearch}");
        LineSearch = lineSearch;
        foreach (var p in Parameters) _parameterCount += p.Length;
    }

    /// <summary>Iterations per <see cref="Step(Func{Tensor})"/>.</summary>
    public int MaxIterations { get; }

    /// <summary>Closure calls per <see cref="Step(Func{Tensor})"/>.</summary>
    public int MaxEvaluations { get; }

    /// <summary>First-order optimality tolerance on the largest gradient component.</summary>
    public double ToleranceGrad { get; }

    /// <summary>Tolerance on changes of the loss and of the parameters.</summary>
    public double ToleranceChange { get; }

    /// <summary>How many past steps the Hessian approximation uses.</summary>
    public int HistorySize { get; }

    /// <summary>How the step length is chosen.</summary>
    public LineSearch LineSearch { get; }

    /// <summary>Not available: L-BFGS evaluates the loss several times per step; call <see cref="Step(Func{Tensor})"/>.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Step() =>
        throw new InvalidOperationException("Lbfgs evaluates the loss several times per step: call Step(closure) with a function that zeroes the gradients, computes the loss, calls Backward() and returns the loss.");

    /// <summary>
    /// Runs up to <see cref="MaxIterations"/> L-BFGS iterations. <paramref name="closure"/> must zero
    /// the gradients, compute the loss, call <c>Backward()</c> and return the loss; it runs with
    /// gradient recording on even inside <see cref="Autograd.NoGrad"/>.
    /// </summary>
    /// <returns>The loss the first closure call returned (before this step moved the parameters).</returns>
    public double Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        double originalLoss = Evaluate(closure);
        double loss = originalLoss;
        int currentEvaluations = 1;
        _functionEvaluations++;
        var flatGradient = GatherFlatGradient();
        if (InfinityNorm(flatGradient) <= ToleranceGrad) return originalLoss;

        var d = _direction ?? new double[_parameterCount];
        var previousGradient = _previousGradient ?? new double[_parameterCount];
        int iteration = 0;
        while (iteration < MaxIterations)
        {
            iteration++;
            _iterations++;
            if (_iterations == 1)
            {
                TensorPrimitives.Negate(flatGradient, d);
                _oldDirections.Clear();
                _oldSteps.Clear();
                _rho.Clear();
                _hessianDiagonal = 1;
            }
            else
            {
                UpdateHistory(flatGradient, previousGradient, d);
                TwoLoopDirection(flatGradient, d);
            }
            flatGradient.CopyTo(previousGradient, 0);
            _previousLoss = loss;

            // The first step ever is scaled down by the gradient's size, as a stand-in for a Hessian.
            _t = _iterations == 1 ? Math.Min(1, 1 / TensorPrimitives.SumOfMagnitudes<double>(flatGradient)) * LearningRate : LearningRate;
            double gtd = TensorPrimitives.Dot<double>(flatGradient, d);
            if (gtd > -ToleranceChange) break;

            int lineSearchEvaluations = 0;
            bool optimal = false;
            if (LineSearch == LineSearch.StrongWolfe)
            {
                var start = GatherParameters();
                (loss, flatGradient, _t, lineSearchEvaluations) = StrongWolfe.Search(
                    t => EvaluateAlong(closure, start, t, d), _t, d, loss, flatGradient, gtd);
                AddToParameters(_t, d);
                optimal = InfinityNorm(flatGradient) <= ToleranceGrad;
            }
            else
            {
                AddToParameters(_t, d);
                // The last iteration does not re-evaluate: with stochastic losses the value is of no use.
                if (iteration != MaxIterations)
                {
                    loss = Evaluate(closure);
                    flatGradient = GatherFlatGradient();
                    optimal = InfinityNorm(flatGradient) <= ToleranceGrad;
                    lineSearchEvaluations = 1;
                }
            }
            currentEvaluations += lineSearchEvaluations;
            _functionEvaluations += lineSearchEvaluations;

            if (iteration == MaxIterations || currentEvaluations >= MaxEvaluations || optimal) break;
            if (InfinityNorm(d) * Math.Abs(_t) <= ToleranceChange) break;
            if (Math.Abs(loss - _previousLoss) < ToleranceChange) break;
        }
        _direction = d;
        _previousGradient = previousGradient;
        return originalLoss;
    }

    /// <summary>Adds the newest step s = t·d and gradient change y to the history when the curvature sᵀy is positive.</summary>
    private void UpdateHistory(double[] gradient, double[] previousGradient, double[] d)
    {
        var y = new double[_parameterCount];
        var s = new double[_parameterCount];
        TensorPrimitives.Subtract(gradient, previousGradient, y);
        TensorPrimitives.Multiply(d, _t, s);
        double ys = TensorPrimitives.Dot<double>(y, s);
        if (ys <= 1e-10) return;
        if (_oldDirections.Count == HistorySize)
        {
            _oldDirections.RemoveAt(0);
            _oldSteps.RemoveAt(0);
            _rho.RemoveAt(0);
        }
        _oldDirections.Add(y);
        _oldSteps.Add(s);
        _rho.Add(1 / ys);
        _hessianDiagonal = ys / TensorPrimitives.Dot<double>(y, y);
    }

    /// <summary>The two-loop recursion: d = −H·g with the history's inverse-Hessian approximation, into <paramref name="d"/>.</summary>
    private void TwoLoopDirection(double[] gradient, double[] d)
    {
        int count = _oldDirections.Count;
        _alpha ??= new double[HistorySize];
        TensorPrimitives.Negate(gradient, d);
        for (int i = count - 1; i >= 0; i--)
        {
            _alpha[i] = TensorPrimitives.Dot<double>(_oldSteps[i], d) * _rho[i];
            TensorPrimitives.MultiplyAdd(_oldDirections[i], -_alpha[i], d, d);
        }
        TensorPrimitives.Multiply(d, _hessianDiagonal, d);
        for (int i = 0; i < count; i++)
        {
            double beta = TensorPrimitives.Dot<double>(_oldDirections[i], d) * _rho[i];
            TensorPrimitives.MultiplyAdd(_oldSteps[i], _alpha[i] - beta, d, d);
        }
    }

    /// <summary>The loss and gradient at start + t·d; the parameters are put back to <paramref name="start"/> afterwards.</summary>
    private (double Loss, double[] Gradient) EvaluateAlong(Func<Tensor> closure, double[] start, double t, double[] d)
    {
        AddToParameters(t, d);
        double loss = Evaluate(closure);
        var gradient = GatherFlatGradient();
        ScatterParameters(start);
        return (loss, gradient);
    }

    /// <summary>Calls the closure with recording on, as PyTorch's <c>torch.enable_grad()</c> wrapper does.</summary>
    private static double Evaluate(Func<Tensor> closure)
    {
        using var recording = Autograd.EnableGrad();
        var loss = closure() ?? throw new InvalidOperationException("Lbfgs: the closure returned null; it must return the loss tensor.");
        if (loss.Length != 1)
            throw new InvalidOperationException($"Lbfgs: the closure must return the scalar loss, got a tensor of shape {Shapes.Format(loss.ShapeArray)}.");
        return loss.Item();
    }

    /// <summary>All gradients as one Float64 vector; zeros for a parameter without a gradient.</summary>
    private double[] GatherFlatGradient()
    {
        var flat = new double[_parameterCount];
        int offset = 0;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is { } g)
            {
                if (!Shapes.SameShape(g.ShapeArray, p.ShapeArray) || g.DType != p.DType)
                    throw new ShapeMismatchException($"Lbfgs.Step: parameter {i} ({p.DType} {Shapes.Format(p.ShapeArray)}) has a gradient of {g.DType} {Shapes.Format(g.ShapeArray)}.");
                CopyToFlat(g, flat.AsSpan(offset, p.Length));
            }
            offset += p.Length;
        }
        return flat;
    }

    private double[] GatherParameters()
    {
        var flat = new double[_parameterCount];
        int offset = 0;
        foreach (var p in Parameters)
        {
            CopyToFlat(p, flat.AsSpan(offset, p.Length));
            offset += p.Length;
        }
        return flat;
    }

    private static void CopyToFlat(Tensor source, Span<double> flat)
    {
        if (source.DType == DType.Float64) source.Span<double>().CopyTo(flat);
        else TensorPrimitives.ConvertChecked<float, double>(source.Span<float>(), flat);
    }

    /// <summary>p = p + t·d, parameter by parameter (PyTorch's <c>_add_grad</c>).</summary>
    private void AddToParameters(double t, double[] d)
    {
        int offset = 0;
        foreach (var p in Parameters)
        {
            var step = d.AsSpan(offset, p.Length);
            if (p.DType == DType.Float64)
            {
                TensorPrimitives.MultiplyAdd(step, t, p.Span<double>(), p.Span<double>());
            }
            else
            {
                var values = p.Span<float>();
                for (int j = 0; j < values.Length; j++) values[j] = (float)(values[j] + t * step[j]);
            }
            offset += p.Length;
        }
    }

    private void ScatterParameters(double[] flat)
    {
        int offset = 0;
        foreach (var p in Parameters)
        {
            var values = flat.AsSpan(offset, p.Length);
            if (p.DType == DType.Float64) values.CopyTo(p.Span<double>());
            else TensorPrimitives.ConvertTruncating<double, float>(values, p.Span<float>());
            offset += p.Length;
        }
    }

    private protected override void WriteGlobalState(Dictionary<string, Tensor> tensors, Dictionary<string, double> scalars)
    {
        scalars["func_evals"] = _functionEvaluations;
        scalars["n_iter"] = _iterations;
        if (_direction is null || _previousGradient is null) return;
        tensors["d"] = Tensor.FromArray(_direction);
        tensors["prev_flat_grad"] = Tensor.FromArray(_previousGradient);
        scalars["t"] = _t;
        scalars["H_diag"] = _hessianDiagonal;
        scalars["prev_loss"] = _previousLoss;
        for (int k = 0; k < _oldDirections.Count; k++)
        {
            tensors[HistoryKey("old_dirs", k)] = Tensor.FromArray(_oldDirections[k]);
            tensors[HistoryKey("old_stps", k)] = Tensor.FromArray(_oldSteps[k]);
            scalars[HistoryKey("ro", k)] = _rho[k];
        }
    }

    private protected override Action? PrepareGlobalState(OptimizerState state, HashSet<string> tensorKeys, HashSet<string> scalarKeys)
    {
        long evaluations = StepCount(RequiredScalar(state, "func_evals"), "func_evals");
        long iterations = StepCount(RequiredScalar(state, "n_iter"), "n_iter");
        scalarKeys.Remove("func_evals");
        scalarKeys.Remove("n_iter");
        if (!tensorKeys.Contains("d"))
        {
            return () =>
            {
                ResetHistory();
                (_functionEvaluations, _iterations) = (evaluations, iterations);
            };
        }
        var direction = Vector(state, tensorKeys, "d");
        var previousGradient = Vector(state, tensorKeys, "prev_flat_grad");
        double t = RequiredScalar(state, "t"), hessianDiagonal = RequiredScalar(state, "H_diag"), previousLoss = RequiredScalar(state, "prev_loss");
        scalarKeys.Remove("t");
        scalarKeys.Remove("H_diag");
        scalarKeys.Remove("prev_loss");
        var directions = new List<double[]>();
        var steps = new List<double[]>();
        var rho = new List<double>();
        for (int k = 0; tensorKeys.Contains(HistoryKey("old_dirs", k)); k++)
        {
            if (k == HistorySize)
                throw new ArgumentException($"LoadStateDict: the state holds more than {HistorySize} history entries, this Lbfgs's history size.", nameof(state));
            directions.Add(Vector(state, tensorKeys, HistoryKey("old_dirs", k)));
            steps.Add(Vector(state, tensorKeys, HistoryKey("old_stps", k)));
            rho.Add(RequiredScalar(state, HistoryKey("ro", k)));
            scalarKeys.Remove(HistoryKey("ro", k));
        }
        return () =>
        {
            ResetHistory();
            (_functionEvaluations, _iterations) = (evaluations, iterations);
            (_direction, _previousGradient) = (direction, previousGradient);
            (_t, _hessianDiagonal, _previousLoss) = (t, hessianDiagonal, previousLoss);
            _oldDirections.AddRange(directions);
            _oldSteps.AddRange(steps);
            _rho.AddRange(rho);
        };
    }

    private void ResetHistory()
    {
        _oldDirections.Clear();
        _oldSteps.Clear();
        _rho.Clear();
        (_direction, _previousGradient, _t, _hessianDiagonal, _previousLoss) = (null, null, 0, 1, 0);
    }

    /// <summary>A Float64 vector of the flat parameter length from the state, claimed from <paramref name="tensorKeys"/>.</summary>
    private double[] Vector(OptimizerState state, HashSet<string> tensorKeys, string key)
    {
        if (!tensorKeys.Remove(key) || !state.Tensors.TryGetValue(key, out var tensor))
            throw new ArgumentException($"LoadStateDict: the state has no '{key}', which Lbfgs needs.", nameof(state));
        if (tensor.Rank != 1 || tensor.Length != _parameterCount)
            throw new ShapeMismatchException($"LoadStateDict: '{key}' has shape {Shapes.Format(tensor.ShapeArray)} but the parameters hold {_parameterCount} values in all (shape [{_parameterCount}]).");
        if (tensor.DType != DType.Float64)
            throw new ArgumentException($"LoadStateDict: '{key}' is {tensor.DType}; Lbfgs keeps its history in Float64.", nameof(state));
        return tensor.ToArray<double>();
    }

    /// <summary>The largest magnitude in <paramref name="x"/> (PyTorch's <c>x.abs().max()</c>); 0 when empty.</summary>
    internal static double InfinityNorm(ReadOnlySpan<double> x) => x.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));

    private static string HistoryKey(string name, int k) => name + "." + k.ToString(CultureInfo.InvariantCulture);
}
