using System.Text.Json;
using Nabla.Optim;
using Nabla.Optim.Schedulers;

namespace Nabla.Tests.Optim;

/// <summary>
/// Every scheduler's learning-rate sequence (and OneCycleLR's momentum) against PyTorch's
/// get_last_lr() after construction and after each of 30 optimizer.step()/scheduler.step() pairs.
/// </summary>
public class SchedulerTorchReferenceTests
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in OptimFixture.Value.Schedulers) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void Fixture_CoversEveryScheduler()
    {
        string[] kinds = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "LinearLR", "OneCycleLR", "ReduceLROnPlateau"];
        Assert.Equal(kinds.Order(), OptimFixture.Value.Schedulers.Select(c => c.Scheduler).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LearningRates_MatchPyTorch(string name)
    {
        var c = OptimFixture.Value.Schedulers.Single(c => c.Name == name);
        var p = Tensor.Zeros([2], DType.Float64).RequiresGradient();
        Optimizer optimizer = c.Optimizer == "sgd" ? new Sgd([p], 0.1, momentum: c.Momentum) : new Adam([p], 0.1);
        var actual = new List<double>();
        var momenta = new List<double>();
        void RecordMomentum() => momenta.Add(((IMomentumOptimizer)optimizer).Momentum);

        if (c.Scheduler == "ReduceLROnPlateau")
        {
            var plateau = CreatePlateau(optimizer, c.Options);
            foreach (double metric in OptimFixture.Value.Metrics)
            {
                optimizer.Step();
                plateau.Step(metric);
                actual.Add(plateau.LastLearningRate);
                Assert.Equal(plateau.LastLearningRate, optimizer.LearningRate);
            }
        }
        else
        {
            var scheduler = Create(c.Scheduler, optimizer, c.Options);
            actual.Add(scheduler.LastLearningRate);
            RecordMomentum();
            for (int i = 0; i < 30; i++)
            {
                optimizer.Step();
                scheduler.Step();
                actual.Add(scheduler.LastLearningRate);
                Assert.Equal(scheduler.LastLearningRate, optimizer.LearningRate);
                RecordMomentum();
            }
            Assert.Equal(c.Momenta.Length, momenta.Count);
            for (int i = 0; i < momenta.Count; i++)
                Assert.True(Math.Abs(momenta[i] - c.Momenta[i]) <= 1e-12, $"{name}: momentum {i}: Nabla {momenta[i]:R}, PyTorch {c.Momenta[i]:R}");
        }
        Assert.Equal(c.Lrs.Length, actual.Count);
        for (int i = 0; i < actual.Count; i++)
            Assert.True(Math.Abs(actual[i] - c.Lrs[i]) <= 1e-12 * Math.Abs(c.Lrs[i]) + 1e-15, $"{name}: learning rate {i}: Nabla {actual[i]:R}, PyTorch {c.Lrs[i]:R}");
    }

    /// <summary>The Nabla scheduler for a fixture case, PyTorch's option names mapped to ours (PyTorch's defaults where absent).</summary>
    private static LearningRateScheduler Create(string kind, Optimizer optimizer, JsonElement o)
    {
        double D(string key, double fallback) => o.TryGetProperty(key, out var e) ? e.GetDouble() : fallback;
        int I(string key, int fallback) => o.TryGetProperty(key, out var e) ? e.GetInt32() : fallback;
        bool B(string key, bool fallback) => o.TryGetProperty(key, out var e) ? e.GetBoolean() : fallback;
        return kind switch
        {
            "StepLR" => new StepLR(optimizer, I("step_size", 0), D("gamma", 0.1)),
            "MultiStepLR" => new MultiStepLR(optimizer, o.GetProperty("milestones").EnumerateArray().Select(e => e.GetInt32()), D("gamma", 0.1)),
            "ExponentialLR" => new ExponentialLR(optimizer, D("gamma", 0)),
            "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, I("T_max", 0), D("eta_min", 0)),
            "CosineAnnealingWarmRestarts" => new CosineAnnealingWarmRestarts(optimizer, I("T_0", 0), I("T_mult", 1), D("eta_min", 0)),
            "LinearLR" => new LinearLR(optimizer, D("start_factor", 1.0 / 3), D("end_factor", 1), I("total_iters", 5)),
            "OneCycleLR" => new OneCycleLR(optimizer, D("max_lr", 0), I("total_steps", 0), D("pct_start", 0.3),
                o.TryGetProperty("anneal_strategy", out var s) && s.GetString() == "linear" ? AnnealStrategy.Linear : AnnealStrategy.Cosine,
                B("cycle_momentum", true), D("base_momentum", 0.85), D("max_momentum", 0.95), D("div_factor", 25), D("final_div_factor", 1e4), B("three_phase", false)),
            _ => throw new InvalidDataException($"The fixture names scheduler '{kind}', which this test does not map."),
        };
    }

    private static ReduceLROnPlateau CreatePlateau(Optimizer optimizer, JsonElement o)
    {
        double D(string key, double fallback) => o.TryGetProperty(key, out var e) ? e.GetDouble() : fallback;
        int I(string key, int fallback) => o.TryGetProperty(key, out var e) ? e.GetInt32() : fallback;
        string S(string key, string fallback) => o.TryGetProperty(key, out var e) ? e.GetString()! : fallback;
        return new ReduceLROnPlateau(optimizer, S("mode", "min") == "min" ? PlateauMode.Min : PlateauMode.Max, D("factor", 0.1), I("patience", 10),
            D("threshold", 1e-4), S("threshold_mode", "rel") == "rel" ? ThresholdMode.Relative : ThresholdMode.Absolute, I("cooldown", 0), D("min_lr", 0));
    }
}
