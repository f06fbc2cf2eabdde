using System.Numerics;
using System.Collections.ObjectModel;
using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// Updates a fixed list of parameters from their gradients, as <c>torch.optim.Optimizer</c>: call
/// <see cref="ZeroGrad"/>, compute a loss, <c>Backward()</c>, then <see cref="Step"/>. Parameters
/// whose <see cref="Tensor.Grad"/> is null are skipped, as PyTorch does.
/// </summary>
/// <remarks>
/// Updates write into the parameters' storage in place and record nothing in the autograd graph.
/// The per-parameter state (moment estimates, momentum buffers) is allocated on a parameter's first
/// step; later steps allocate nothing. <see cref="StateDict"/> and <see cref="LoadStateDict"/> save
/// and restore all of it, so a resumed run continues bit for bit.
/// </remarks>
public abstract partial class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly string[] _bufferNames;
    private readonly bool _countsSteps;
    private readonly Tensor?[][] _buffers;
    private readonly long[] _steps;
    private readonly bool[] _hasState;
    private double _learningRate;

    /// <param name="parameters">The tensors to optimize: at least one, floating point, leaves that require gradients, no duplicates.</param>
    /// <param name="learningRate">The initial learning rate (≥ 0).</param>
    /// <param name="bufferNames">The names of the per-parameter state tensors, as PyTorch names them ("exp_avg").</param>
    /// <param name="countsSteps">Whether each parameter keeps a step count (bias corrections, learning-rate decay).</param>
    private protected Optimizer(IEnumerable<Tensor> parameters, double learningRate, string[] bufferNames, bool countsSteps)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = CheckParameters(parameters);
        _learningRate = Hyperparameters.NonNegative(learningRate, "learning rate", nameof(learningRate));
        _bufferNames = bufferNames;
        _countsSteps = countsSteps;
        _buffers = new Tensor?[_parameters.Length][];
        for (int i = 0; i < _buffers.Length; i++) _buffers[i] = new Tensor?[bufferNames.Length];
        _steps = new long[_parameters.Length];
        _hasState = new bool[_parameters.Length];
        Parameters = new ReadOnlyCollection<Tensor>(_parameters);
    }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate of the next step; schedulers set it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameters.NonNegative(value, "learning rate", nameof(LearningRate));
    }

    /// <summary>Updates every parameter that has a gradient, once.</summary>
    /// <exception cref="ShapeMismatchException">A gradient's shape differs from its parameter's.</exception>
    public virtual void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (GradientOf(i) is not { } gradient) continue;
            if (_parameters[i].DType == DType.Float32) Update<float>(i, _parameters[i], gradient);
            else Update<double>(i, _parameters[i], gradient);
        }
    }

    /// <summary>
    /// Clears the gradients before the next backward pass: sets them to null (the default, as
    /// PyTorch 2 does, so the next backward pass allocates them afresh) or zeroes them in place. The
    /// zeros are written lazily: a backward pass that writes a gradient whole skips them, and reading
    /// <see cref="Tensor.Grad"/> before then gives zeros.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in _parameters)
        {
            if (setToNone) p.Grad = null;
            else p.ZeroGradInPlace();
        }
    }

    /// <summary>
    /// A copy of everything the next steps depend on: the learning rate (and momentum, for an
    /// <see cref="IMomentumOptimizer"/>), and per parameter its state tensors and step count.
    /// </summary>
    public OptimizerState StateDict()
    {
        var tensors = new Dictionary<string, Tensor>();
        var scalars = new Dictionary<string, double> { ["lr"] = LearningRate };
        if (this is IMomentumOptimizer m) scalars["momentum"] = m.Momentum;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (!_hasState[i]) continue;
            for (int slot = 0; slot < _bufferNames.Length; slot++)
                if (_buffers[i][slot] is { } buffer) tensors[Key(i, _bufferNames[slot])] = buffer.Clone();
            if (_countsSteps) scalars[Key(i, "step")] = _steps[i];
        }
        WriteGlobalState(tensors, scalars);
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces this optimizer's state with a copy of <paramref name="state"/> (from
    /// <see cref="StateDict"/> of an optimizer of the same kind over parameters of the same shapes).
    /// Everything is checked before anything changes.
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown or missing, or a value is invalid.</exception>
    /// <exception cref="ShapeMismatchException">A state tensor's shape differs from its parameter's.</exception>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        double lr = Hyperparameters.NonNegative(RequiredScalar(state, "lr"), "learning rate", nameof(state));
        double momentum = double.NaN;
        if (this is IMomentumOptimizer)
            momentum = Hyperparameters.InUnitInterval(RequiredScalar(state, "momentum"), "momentum", nameof(state));

        var tensorKeys = new HashSet<string>(state.Tensors.Keys);
        var scalarKeys = new HashSet<string>(state.Scalars.Keys);
        scalarKeys.Remove("lr");
        scalarKeys.Remove("momentum");
        var loaded = new Tensor?[_parameters.Length][];
        var steps = new long[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            loaded[i] = new Tensor?[_bufferNames.Length];
            bool any = false;
            for (int slot = 0; slot < _bufferNames.Length; slot++)
            {
                string key = Key(i, _bufferNames[slot]);
                if (!tensorKeys.Remove(key)) continue;
                loaded[i][slot] = CheckStateTensor(state.Tensors[key], key, i);
                any = true;
            }
            string stepKey = Key(i, "step");
            if (_countsSteps && scalarKeys.Remove(stepKey))
            {
                steps[i] = StepCount(state.Scalars[stepKey], stepKey);
                any = true;
            }
            if (!any) continue;
            if (_countsSteps && !state.Scalars.ContainsKey(stepKey))
                throw new ArgumentException($"LoadStateDict: parameter {i} has state tensors but no step count '{stepKey}'.", nameof(state));
            for (int slot = 0; slot < _bufferNames.Length; slot++)
                if (loaded[i][slot] is null && RequiresBuffer(slot, momentum))
                    throw new ArgumentException($"LoadStateDict: parameter {i} has state but no '{Key(i, _bufferNames[slot])}', which {GetType().Name} needs.", nameof(state));
        }
        var applyGlobal = PrepareGlobalState(state, tensorKeys, scalarKeys);
        if (tensorKeys.Count > 0 || scalarKeys.Count > 0)
            throw new ArgumentException($"LoadStateDict: unknown state names for {GetType().Name} over {_parameters.Length} parameter(s): {string.Join(", ", tensorKeys.Concat(scalarKeys).Order(StringComparer.Ordinal))}.", nameof(state));

        LearningRate = lr;
        if (this is IMomentumOptimizer m) m.Momentum = momentum;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _hasState[i] = false;
            for (int slot = 0; slot < _bufferNames.Length; slot++)
            {
                _buffers[i][slot] = loaded[i][slot]?.Clone();
                _hasState[i] |= loaded[i][slot] is not null;
            }
            _steps[i] = steps[i];
            _hasState[i] |= steps[i] > 0;
        }
        applyGlobal?.Invoke();
    }

    /// <summary>Applies <see cref="Update"/> to every parameter that has a gradient (the step of the elementwise rules).</summary>
    /// <summary>
    /// The elementwise rules' update of one parameter from its checked gradient, in place, in its
    /// element type. Optimizers that override <see cref="Step"/> as a whole (L-BFGS) never reach it.
    /// </summary>
    private protected virtual void Update<T>(int index, Tensor parameter, Tensor gradient) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{GetType().Name} updates all its parameters together in Step.");

    /// <summary>
    /// The gradient of parameter <paramref name="index"/>, checked against the parameter, with its
    /// step count advanced; null when it has no gradient (the parameter is skipped this step).
    /// </summary>
    private protected Tensor? GradientOf(int index)
    {
        var p = _parameters[index];
        var g = p.Grad;
        if (g is null) return null;
        if (!Shapes.SameShape(g.ShapeArray, p.ShapeArray))
            throw new ShapeMismatchException($"{GetType().Name}.Step: parameter {index} has shape {Shapes.Format(p.ShapeArray)} but its gradient has shape {Shapes.Format(g.ShapeArray)}.");
        if (g.DType != p.DType)
            throw new ArgumentException($"{GetType().Name}.Step: parameter {index} is {p.DType} but its gradient is {g.DType}.");
        _hasState[index] = true;
        _steps[index]++;
        return g;
    }

    /// <summary>How many steps parameter <paramref name="index"/> has taken, this one included.</summary>
    private protected long StepsOf(int index) => _steps[index];

    /// <summary>The state tensor in <paramref name="slot"/> of parameter <paramref name="index"/>, created on first use filled with <paramref name="initialValue"/>.</summary>
    private protected Tensor Buffer(int index, int slot, double initialValue = 0)
        => _buffers[index][slot] ??= Tensor.Full(_parameters[index].ShapeArray, initialValue, _parameters[index].DType);

    /// <summary>Whether parameter <paramref name="index"/> already has a state tensor in <paramref name="slot"/>.</summary>
    private protected bool HasBuffer(int index, int slot) => _buffers[index][slot] is not null;

    /// <summary>Whether a parameter with state must have <paramref name="slot"/>, given the momentum being loaded (NaN if none).</summary>
    private protected virtual bool RequiresBuffer(int slot, double momentum) => true;

    /// <summary>Adds state that belongs to the optimizer as a whole (L-BFGS history).</summary>
    private protected virtual void WriteGlobalState(Dictionary<string, Tensor> tensors, Dictionary<string, double> scalars) { }

    /// <summary>
    /// Checks and claims (removes from the key sets) the whole-optimizer entries of a state being
    /// loaded, and returns what installs them once every check has passed; null when there are none.
    /// </summary>
    private protected virtual Action? PrepareGlobalState(OptimizerState state, HashSet<string> tensorKeys, HashSet<string> scalarKeys) => null;

    /// <summary>A scalar the state must have.</summary>
    private protected double RequiredScalar(OptimizerState state, string key) =>
        state.Scalars.TryGetValue(key, out double value) ? value
            : throw new ArgumentException($"LoadStateDict: the state has no '{key}', which {GetType().Name} needs.", nameof(state));

    /// <summary>A count stored as a double: a non-negative integer.</summary>
    private protected static long StepCount(double value, string key) =>
        value >= 0 && value == Math.Floor(value) && value <= 1L << 53 ? (long)value
            : throw new ArgumentException($"LoadStateDict: '{key}' must be a non-negative whole number, got {Hyperparameters.Format(value)}.", "state");

    /// <summary>A state tensor for parameter <paramref name="index"/>: same shape and type.</summary>
    private Tensor CheckStateTensor(Tensor tensor, string key, int index)
    {
        var p = _parameters[index];
        if (!Shapes.SameShape(tensor.ShapeArray, p.ShapeArray))
            throw new ShapeMismatchException($"LoadStateDict: '{key}' has shape {Shapes.Format(tensor.ShapeArray)} but parameter {index} has shape {Shapes.Format(p.ShapeArray)}.");
        if (tensor.DType != p.DType)
            throw new ArgumentException($"LoadStateDict: '{key}' is {tensor.DType} but parameter {index} is {p.DType}.", "state");
        return tensor;
    }

    private static string Key(int index, string name) => index.ToString(CultureInfo.InvariantCulture) + "." + name;

    private static Tensor[] CheckParameters(IEnumerable<Tensor> parameters)
    {
        var list = parameters.ToArray();
        if (list.Length == 0)
            throw new ArgumentException("the optimizer got an empty parameter list; pass the tensors to optimize (with RequiresGrad = true).", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < list.Length; i++)
        {
            var p = list[i] ?? throw new ArgumentNullException(nameof(parameters), $"parameter {i} is null.");
            string what = $"parameter {i} (shape {Shapes.Format(p.ShapeArray)})";
            if (!p.IsFloatingPoint)
                throw new ArgumentException($"{what} is Int32; only Float32 and Float64 tensors can be optimized.", nameof(parameters));
            if (!p.IsLeaf)
                throw new ArgumentException($"{what} is not a leaf: it was computed by {p.GradFnName}; optimize the tensors it was computed from.", nameof(parameters));
            if (!p.RequiresGrad)
                throw new ArgumentException($"{what} does not require gradients; set RequiresGrad = true so Backward() fills its Grad.", nameof(parameters));
            if (!seen.Add(p))
                throw new ArgumentException($"{what} appears more than once in the parameter list.", nameof(parameters));
        }
        return list;
    }
}
