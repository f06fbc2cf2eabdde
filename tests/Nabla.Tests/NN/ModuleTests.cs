using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Module: registration and discovery of parameters and submodules, names, modes, and state loading.</summary>
public sealed class ModuleTests
{
    /// <summary>A user's model that only keeps fields: everything must be discovered.</summary>
    private sealed class TwoLayer : Module
    {
        private readonly Linear _hidden = new(4, 3, generator: new Generator(1));
        public Linear Output { get; } = new(3, 2, generator: new Generator(2));
        private readonly Tensor _scale = Tensor.Ones([2]).RequiresGradient();
        private readonly Tensor _notAParameter = Tensor.Ones([2]);

        public override Tensor Forward(Tensor x) => Output.Forward(_hidden.Forward(x).Tanh()) * _scale + _notAParameter;
    }

    private sealed class WithBuffer : Module
    {
        public WithBuffer()
        {
            RegisterParameter("weight", Tensor.Ones([2]));
            RegisterBuffer("running_mean", Tensor.Zeros([2]));
            Inner = RegisterModule("inner", new Linear(2, 2, generator: new Generator(3)));
        }

        public Linear Inner { get; }

        public override Tensor Forward(Tensor x) => Inner.Forward(x);
    }

    [Fact]
    public void FieldsAreDiscovered_InDeclarationOrder_WithPyTorchStyleNames()
    {
        var model = new TwoLayer();

        // As PyTorch's named_parameters: a module's own parameters first, then each submodule's.
        Assert.Equal(["scale", "hidden.weight", "hidden.bias", "output.weight", "output.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2 + 2, model.ParameterCount);
        Assert.Equal(["", "hidden", "output"], model.NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void RegisteredBuffers_AreInTheStateButNotTrained()
    {
        var model = new WithBuffer();

        Assert.Equal(["weight", "inner.weight", "inner.bias"], model.NamedParameters().Select(p => p.Name));
        // As PyTorch's state_dict: each module's parameters, then its buffers, then its submodules'.
        Assert.Equal(["weight", "running_mean", "inner.weight", "inner.bias"], model.StateDict().Keys);
        Assert.Equal(["running_mean"], model.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void Sequential_NamesLayersByIndex_AndChainsThem()
    {
        var model = new Sequential(new Linear(3, 5, generator: new Generator(4)), new Linear(5, 2, generator: new Generator(5)));
        var x = Tensor.FromArray([1f, 2f, 3f, -1f, 0f, 0.5f], [2, 3]);

        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], model.StateDict().Keys);
        var expected = ((Linear)model[1]).Forward(((Linear)model[0]).Forward(x));
        Assert.Equal(expected.ToArray<float>(), model.Forward(x).ToArray<float>());
    }

    [Fact]
    public void SharedParameters_AreListedOnce()
    {
        var shared = new Linear(2, 2, generator: new Generator(6));
        var model = new Sequential(shared, shared);

        Assert.Equal(2, model.Parameters().Count());
    }

    [Fact]
    public void TrainAndEval_ReachEverySubmodule_IncludingOnesAddedLater()
    {
        var inner = new Linear(2, 2);
        var model = new Sequential(inner);
        model.Eval();
        Assert.False(inner.IsTraining);

        var late = new Linear(2, 2);
        model.Add(late);
        Assert.False(late.IsTraining);

        model.Train();
        Assert.True(inner.IsTraining && late.IsTraining && model.IsTraining);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var model = new TwoLayer();
        model.Forward(Tensor.Ones([1, 4])).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));

        model.ZeroGrad();

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void LoadStateDict_CopiesInPlace_SoTheSameTensorsHoldTheNewValues()
    {
        var source = new TwoLayer();
        var target = new TwoLayer();
        Init.Constant(source.NamedParameters().First().Parameter, 0.25);
        var weight = target.NamedParameters().First().Parameter;

        target.LoadStateDict(source.StateDict());

        Assert.Same(weight, target.NamedParameters().First().Parameter);
        Assert.All(weight.ToArray<float>(), v => Assert.Equal(0.25f, v));
        var x = Tensor.FromArray([0.1f, -0.2f, 0.3f, 0.4f], [1, 4]);
        Assert.Equal(source.Forward(x).ToArray<float>(), target.Forward(x).ToArray<float>());
    }

    [Fact]
    public void LoadStateDict_WithWrongNamesOrShapes_ListsThemAndChangesNothing()
    {
        var model = new WithBuffer();
        var before = model.Inner.Weight.ToArray<float>();
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros([3]),
            ["inner.weight"] = Tensor.Zeros([2, 2]),
            ["inner.bias"] = Tensor.Zeros([2], DType.Float64),
            ["extra"] = Tensor.Zeros([1]),
        };

        var e = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));

        Assert.Contains("missing: running_mean", e.Message);
        Assert.Contains("unexpected: extra", e.Message);
        Assert.Contains("'weight' has shape [3], the module expects [2]", e.Message);
        Assert.Contains("'inner.bias' is Float64, the module expects Float32", e.Message);
        Assert.Equal(before, model.Inner.Weight.ToArray<float>());
    }

    [Fact]
    public void LoadStateDict_NotStrict_LoadsWhatMatches()
    {
        var model = new WithBuffer();

        model.LoadStateDict(new Dictionary<string, Tensor> { ["running_mean"] = Tensor.Full([2], 3.0, DType.Float32) }, strict: false);

        Assert.Equal([3f, 3f], model.NamedBuffers().Single().Buffer.ToArray<float>());
    }

    [Fact]
    public void Linear_MatchesTheDefinition_AndChecksTheInput()
    {
        var layer = new Linear(3, 2, generator: new Generator(7), dtype: DType.Float64);
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);

        var y = layer.Forward(x);

        Assert.Equal([2, 2, 2], y.Shape);
        var expected = x.MatMul(layer.Weight.T) + layer.Bias!;
        Assert.Equal(expected.ToArray<double>(), y.ToArray<double>());
        double bound = 1 / Math.Sqrt(3);
        Assert.All(layer.Weight.ToArray<double>(), w => Assert.InRange(w, -bound, bound));
        var e = Assert.Throws<ShapeMismatchException>(() => layer.Forward(Tensor.Ones([2, 4], DType.Float64)));
        Assert.Contains("Linear(3, 2): input of shape [2, 4] must end with 3 features", e.Message);
    }

    [Fact]
    public void Linear_Gradients_PassGradCheck()
    {
        var layer = new Linear(3, 2, generator: new Generator(8), dtype: DType.Float64);
        var x = Tensor.Randn([4, 3], new Generator(9), DType.Float64).RequiresGradient();

        var report = GradCheck.Check(inputs => layer.Forward(inputs[0]), [x]);

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Init_Fans_AndBounds()
    {
        var conv = Tensor.Zeros([16, 3, 5, 5]);
        Assert.Equal((75, 400), Init.CalculateFans(conv));
        Init.XavierUniform(conv, generator: new Generator(10));
        double bound = Math.Sqrt(6.0 / 475);
        var values = conv.ToArray<float>();
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Max() > 0.9 * bound && values.Min() < -0.9 * bound);

        var he = Init.KaimingNormal(Tensor.Zeros([400, 500], DType.Float64), nonlinearity: Nonlinearity.Relu, generator: new Generator(11)).ToArray<double>();
        double std = Math.Sqrt(he.Select(v => v * v).Average());
        Assert.Equal(Math.Sqrt(2.0 / 500), std, 0.002);
        Assert.Throws<ArgumentException>(() => Init.CalculateFans(Tensor.Zeros([3])));
    }
}
