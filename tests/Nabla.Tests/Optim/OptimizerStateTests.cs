using Nabla.Optim;
using Nabla.Optim.Schedulers;

namespace Nabla.Tests.Optim;

/// <summary>
/// Checkpoint state (StateDict / LoadStateDict resumes bit for bit, and rejects states that do not
/// fit), steady-state steps that allocate nothing, chunked updates, and ZeroGrad.
/// </summary>
public class OptimizerStateTests
{
    public static TheoryData<string> Kinds() => new() { "sgd", "adagrad", "rmsprop", "adam", "adamw", "lbfgs" };

    /// <summary>Every option that adds state switched on.</summary>
    private static Optimizer Create(string kind, Tensor[] parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.05, momentum: 0.9, nesterov: true),
        "adagrad" => new Adagrad(parameters, 0.1, learningRateDecay: 0.01, initialAccumulatorValue: 0.1),
        "rmsprop" => new RmsProp(parameters, 0.01, momentum: 0.5, centered: true),
        "adam" => new Adam(parameters, 0.05, amsgrad: true),
        "adamw" => new AdamW(parameters, 0.05, weightDecay: 0.1),
        _ => new Lbfgs(parameters, 1, maxIterations: 3, historySize: 4, lineSearch: LineSearch.StrongWolfe),
    };

    private static void TakeStep(Optimizer optimizer, Problem problem, Tensor[] parameters)
    {
        if (optimizer is Lbfgs lbfgs)
        {
            lbfgs.Step(() => problem.Closure(optimizer, parameters));
            return;
        }
        problem.Closure(optimizer, parameters);
        optimizer.Step();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LoadStateDict_ResumesBitForBit(string kind)
    {
        var problem = OptimFixture.Value.Problem;
        var original = problem.Parameters(DType.Float64);
        var optimizer = Create(kind, original);
        for (int i = 0; i < 6; i++) TakeStep(optimizer, problem, original);

        var saved = optimizer.StateDict();
        var resumed = problem.Parameters(DType.Float64);
        for (int i = 0; i < resumed.Length; i++) original[i].ToArray<double>().CopyTo(resumed[i].Span<double>());
        var restored = Create(kind, resumed);
        restored.LoadStateDict(saved);

        for (int i = 0; i < 6; i++)
        {
            TakeStep(optimizer, problem, original);
            TakeStep(restored, problem, resumed);
        }
        for (int i = 0; i < original.Length; i++) Assert.Equal(original[i].ToArray<double>(), resumed[i].ToArray<double>());
        Assert.NotEmpty(saved.Tensors);
        Assert.Equal(saved.Tensors.Keys.Order(), restored.StateDict().Tensors.Keys.Order());
    }

    [Fact]
    public void StateDict_ReturnsCopies_AndNamesParameterState()
    {
        var p = Tensor.Zeros([3], DType.Float64).RequiresGradient();
        var unused = Tensor.Zeros([2], DType.Float64).RequiresGradient();
        var adam = new Adam([p, unused], 0.1);
        p.Grad = Tensor.FromArray([1.0, -2.0, 3.0]);
        adam.Step();
        var state = adam.StateDict();
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq"], state.Tensors.Keys.Order());
        Assert.Equal(["0.step", "lr", "momentum"], state.Scalars.Keys.Order());
        Assert.Equal(1, state.Scalars["0.step"]);
        var before = state.Tensors["0.exp_avg"].ToArray<double>();
        adam.Step();
        Assert.Equal(before, state.Tensors["0.exp_avg"].ToArray<double>());
    }

    public static TheoryData<string, Func<OptimizerState, OptimizerState>> BadStates() => new()
    {
        { "LoadStateDict: '0.exp_avg' has shape [2] but parameter 0 has shape [3].",
            s => With(s, "0.exp_avg", Tensor.Zeros([2], DType.Float64)) },
        { "LoadStateDict: '0.exp_avg' is Float32 but parameter 0 is Float64.",
            s => With(s, "0.exp_avg", Tensor.Zeros([3])) },
        { "LoadStateDict: parameter 0 has state but no '0.exp_avg_sq', which Adam needs.",
            s => new OptimizerState(s.Tensors.Where(e => e.Key != "0.exp_avg_sq").ToDictionary(), s.Scalars) },
        { "LoadStateDict: parameter 0 has state tensors but no step count '0.step'.",
            s => new OptimizerState(s.Tensors, s.Scalars.Where(e => e.Key != "0.step").ToDictionary()) },
        { "LoadStateDict: unknown state names for Adam over 1 parameter(s): 1.exp_avg.",
            s => With(s, "1.exp_avg", Tensor.Zeros([3], DType.Float64)) },
        { "LoadStateDict: '0.step' must be a non-negative whole number, got 1.5.",
            s => new OptimizerState(s.Tensors, new Dictionary<string, double>(s.Scalars) { ["0.step"] = 1.5 }) },
        { "LoadStateDict: the state has no 'lr', which Adam needs.",
            s => new OptimizerState(s.Tensors, s.Scalars.Where(e => e.Key != "lr").ToDictionary()) },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void LoadStateDict_StateThatDoesNotFit_IsRejectedWithoutChangingAnything(string message, Func<OptimizerState, OptimizerState> spoil)
    {
        var p = Tensor.Zeros([3], DType.Float64).RequiresGradient();
        var adam = new Adam([p], 0.1);
        p.Grad = Tensor.FromArray([1.0, -2.0, 3.0]);
        adam.Step();
        var good = adam.StateDict();
        var fresh = new Adam([Tensor.Zeros([3], DType.Float64).RequiresGradient()], 0.5);

        var error = Assert.ThrowsAny<ArgumentException>(() => fresh.LoadStateDict(spoil(good)));
        Assert.StartsWith(message, error.Message);
        Assert.Equal(0.5, fresh.LearningRate);
        Assert.Empty(fresh.StateDict().Tensors);
    }

    [Fact]
    public void Lbfgs_LoadStateDict_ChecksTheFlatLength()
    {
        var problem = OptimFixture.Value.Problem;
        var parameters = problem.Parameters(DType.Float64);
        var lbfgs = new Lbfgs(parameters, maxIterations: 2);
        lbfgs.Step(() => problem.Closure(lbfgs, parameters));
        var state = lbfgs.StateDict();
        var other = new Lbfgs([Tensor.Zeros([4], DType.Float64).RequiresGradient()]);
        var error = Assert.Throws<ShapeMismatchException>(() => other.LoadStateDict(state));
        Assert.StartsWith("LoadStateDict: 'd' has shape [11] but the parameters hold 4 values in all", error.Message);
    }

    public static TheoryData<string, DType> KindsAndTypes()
    {
        var data = new TheoryData<string, DType>();
        foreach (var kind in new[] { "sgd", "adagrad", "rmsprop", "adam", "adamw" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                data.Add(kind, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndTypes))]
    public void Step_AfterWarmUp_AllocatesNothing(string kind, DType dtype)
    {
        var generator = new Generator(7);
        var p = Tensor.Randn([5000], generator, dtype).RequiresGradient();
        var q = Tensor.Randn([3, 7], generator, dtype).RequiresGradient();
        p.Grad = Tensor.Randn([5000], generator, dtype);
        q.Grad = Tensor.Randn([3, 7], generator, dtype);
        var optimizer = Create(kind, [p, q]);
        optimizer.Step();
        optimizer.Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(KindsAndTypes))]
    public void Step_OnALongParameter_EqualsTheSameUpdateOnItsPieces(string kind, DType dtype)
    {
        // One parameter of 5000 values is updated in chunks; split at 1000 the chunk boundaries
        // fall elsewhere, and elementwise rules must not notice.
        var generator = new Generator(11);
        var values = Tensor.Randn([5000], generator, dtype);
        var gradients = Enumerable.Range(0, 3).Select(_ => Tensor.Randn([5000], generator, dtype)).ToArray();
        var whole = values.Clone().RequiresGradient();
        var head = values.Slice(0, 0, 1000).Clone().RequiresGradient();
        var tail = values.Slice(0, 1000, 4000).Clone().RequiresGradient();
        var single = Create(kind, [whole]);
        var split = Create(kind, [head, tail]);
        foreach (var g in gradients)
        {
            whole.Grad = g.Clone();
            head.Grad = g.Slice(0, 0, 1000).Clone();
            tail.Grad = g.Slice(0, 1000, 4000).Clone();
            single.Step();
            split.Step();
        }
        Assert.Equal(whole.ToDoubleArray(), head.ToDoubleArray().Concat(tail.ToDoubleArray()).ToArray());
    }

    [Fact]
    public void ZeroGrad_SetsToNullByDefault_OrFillsWithZeros()
    {
        var p = Tensor.Zeros([2], DType.Float64).RequiresGradient();
        var sgd = new Sgd([p], 0.1);
        var grad = Tensor.FromArray([1.0, 2.0]);
        p.Grad = grad;
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, p.Grad);
        Assert.Equal(new[] { 0.0, 0.0 }, grad.ToArray<double>());
        sgd.ZeroGrad();
        Assert.Null(p.Grad);
    }

    [Fact]
    public void LbfgsStep_InsideNoGrad_StillRecordsTheClosure()
    {
        var problem = OptimFixture.Value.Problem;
        var parameters = problem.Parameters(DType.Float64);
        var lbfgs = new Lbfgs(parameters, maxIterations: 3);
        double first;
        using (Nabla.Autograd.NoGrad())
        {
            first = lbfgs.Step(() => problem.Closure(lbfgs, parameters));
            Assert.False(Nabla.Autograd.IsGradEnabled, "Step must put the NoGrad scope back");
        }
        Assert.True(problem.Loss(parameters).Item() < first, "L-BFGS must have lowered the loss");
    }

    [Fact]
    public void SchedulerState_RoundTrip_ContinuesTheSameSequence()
    {
        static (Optimizer, LearningRateScheduler) Build()
        {
            var sgd = new Sgd([Tensor.Zeros([1], DType.Float64).RequiresGradient()], 0.1, momentum: 0.9);
            return (sgd, new CosineAnnealingWarmRestarts(sgd, 2, 2, 0.001));
        }
        var (optimizer, scheduler) = Build();
        for (int i = 0; i < 5; i++) scheduler.Step();
        var (optimizerAgain, schedulerAgain) = Build();
        optimizerAgain.LoadStateDict(optimizer.StateDict());
        schedulerAgain.LoadStateDict(scheduler.StateDict());
        for (int i = 0; i < 12; i++)
        {
            scheduler.Step();
            schedulerAgain.Step();
            Assert.Equal(scheduler.LastLearningRate, schedulerAgain.LastLearningRate);
        }
        Assert.Equal(scheduler.LastEpoch, schedulerAgain.LastEpoch);
    }

    [Fact]
    public void PlateauState_RoundTrip_ContinuesTheSameCuts()
    {
        static ReduceLROnPlateau Build() => new(new Sgd([Tensor.Zeros([1], DType.Float64).RequiresGradient()], 0.1), patience: 1, cooldown: 1);
        var plateau = Build();
        double[] metrics = [1, 0.9, 0.95, 0.95, 0.95, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9];
        foreach (var m in metrics[..4]) plateau.Step(m);
        var again = Build();
        again.Optimizer.LoadStateDict(plateau.Optimizer.StateDict());
        again.LoadStateDict(plateau.StateDict());
        foreach (var m in metrics[4..])
        {
            plateau.Step(m);
            again.Step(m);
            Assert.Equal(plateau.LastLearningRate, again.LastLearningRate);
        }
        Assert.Equal(plateau.Best, again.Best);
        Assert.True(plateau.LastLearningRate < 0.1 * 0.1 + 1e-15, "the sequence must have cut the rate at least twice");
    }

    [Fact]
    public void SchedulerLoadStateDict_UnknownName_IsRejected()
    {
        var scheduler = new StepLR(new Sgd([Tensor.Zeros([1], DType.Float64).RequiresGradient()], 0.1), 3);
        var state = new Dictionary<string, double>(scheduler.StateDict()) { ["T_cur"] = 1 };
        var error = Assert.Throws<ArgumentException>(() => scheduler.LoadStateDict(state));
        Assert.StartsWith("LoadStateDict: the state does not fit StepLR: missing [], unknown [T_cur].", error.Message);
    }

    private static OptimizerState With(OptimizerState state, string key, Tensor tensor) =>
        new(new Dictionary<string, Tensor>(state.Tensors) { [key] = tensor }, state.Scalars);
}
