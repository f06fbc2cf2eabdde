using System.Reflection;

namespace Nabla.Tests.Ops;

/// <summary>
/// Every differentiable op in one table, each gradchecked in Float64 (GradCheck) and its backward
/// differentiated again (GradGradCheck), over several shapes: broadcasting, scalars ([]) and size-1
/// edges. Inputs come from a seeded generator, in each op's domain (positive for Log and Sqrt, away
/// from kinks for Abs, ReLU, Clamp, Max, Maximum) so central differences never straddle a kink.
/// </summary>
public class OpTableTests
{
    /// <summary>Makes one input of a case from the case's generator.</summary>
    private delegate Tensor Input(Generator generator);

    /// <summary>One row of the table.</summary>
    /// <param name="Name">Unique display name: the op, its shapes and settings.</param>
    /// <param name="Op">The public Tensor member it exercises (for the coverage test).</param>
    /// <param name="Function">The computation checked.</param>
    /// <param name="Inputs">Its inputs, in order; those requiring gradients are checked.</param>
    /// <param name="Eps">The finite-difference step (larger only where Float32 precision is involved).</param>
    private sealed record OpCase(string Name, string Op, Func<Tensor[], Tensor> Function, Input[] Inputs, double Eps = 1e-6)
    {
        public Tensor[] MakeInputs()
        {
            var generator = new Generator(20240611);
            return Inputs.Select(make => make(generator)).ToArray();
        }
    }

    // Declared before the table, which is built from them.
    private static readonly int[][] UnaryShapes = [[], [1], [1, 1], [2, 3]];

    private static readonly (int[] A, int[] B)[] BinaryShapes =
    [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([2, 1, 3], [4, 1]), ([], [2, 3]), ([2, 3], []), ([1], [1, 1]),
    ];

    private static readonly OpCase[] Table = BuildTable();
    private static readonly Dictionary<string, OpCase> ByName = Table.ToDictionary(c => c.Name);

    public static TheoryData<string> Cases() => [.. Table.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradCheck_Passes(string name)
    {
        var c = ByName[name];
        GradCheck.Assert(c.Function, c.MakeInputs(), eps: c.Eps);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradGradCheck_Passes(string name)
    {
        var c = ByName[name];
        GradGradCheck.Assert(c.Function, c.MakeInputs(), eps: c.Eps);
    }

    /// <summary>Members of Tensor that return a tensor but are not differentiable ops.</summary>
    private static readonly HashSet<string> NotOps =
    [
        "FromArray", "Scalar", "Zeros", "Ones", "Full", "ZerosLike", "OnesLike", "Arange", "Linspace", "Eye",
        "Rand", "Randn", "Detach", "RequiresGradient", "Grad",
        "ArgMax", "ArgMin",   // indices: nothing to differentiate
    ];

    [Fact]
    public void Table_CoversEveryPublicTensorOp()
    {
        var members = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor) && !m.IsSpecialName)
            .Select(m => m.Name)
            .Concat(typeof(Tensor).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(Tensor)).Select(p => p.Name))
            .Where(name => !NotOps.Contains(name))
            .Distinct();
        var covered = Table.Select(c => c.Op).ToHashSet();

        var missing = members.Where(name => !covered.Contains(name)).OrderBy(name => name).ToArray();

        Assert.True(missing.Length == 0, $"Ops missing from the gradcheck table: {string.Join(", ", missing)}.");
    }

    // ---- inputs ----------------------------------------------------------------------------------

    private static Tensor Leaf(double[] values, int[] shape) => Tensor.FromArray(values, shape).RequiresGradient();

    private static double[] Draw(int[] shape, Func<double> value) => Enumerable.Range(0, Numel(shape)).Select(_ => value()).ToArray();

    /// <summary>Standard normal values.</summary>
    private static Input N(params int[] shape) => g => Leaf(Draw(shape, g.NextNormal), shape);

    /// <summary>Values in [0.5, 2): the domain of Log, Sqrt and fractional powers.</summary>
    private static Input Positive(params int[] shape) => g => Leaf(Draw(shape, () => 0.5 + 1.5 * g.NextDouble()), shape);

    /// <summary>Values with magnitude in [0.5, 2) and either sign: away from 0 (division, |x|, ReLU).</summary>
    private static Input NonZero(params int[] shape) =>
        g => Leaf(Draw(shape, () => (g.NextDouble() < 0.5 ? -1 : 1) * (0.5 + 1.5 * g.NextDouble())), shape);

    /// <summary>
    /// Distinct values offset + 0.5·k in random order: no ties for Max and Min, and values with different
    /// offsets stay at least |Δoffset| apart (Maximum, Minimum), as do values and clamp bounds.
    /// </summary>
    private static Input Spaced(double offset, params int[] shape) => g =>
    {
        int n = Numel(shape);
        var values = Enumerable.Range(0, n).Select(k => offset + 0.5 * (k - n / 2)).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = g.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
        return Leaf(values, shape);
    };

    private static Input Fixed(double[] values, params int[] shape) => _ => Leaf(values, shape);

    /// <summary>A Float64 input that is not differentiated (a constant operand).</summary>
    private static Input Constant(params int[] shape) => g => Tensor.FromArray(Draw(shape, g.NextNormal), shape);

    /// <summary>An Int32 input (indices, or a condition of 0s and 1s), passed through unchecked.</summary>
    private static Input Ints(int[] values, params int[] shape) => _ => Tensor.FromArray(values, shape);

    private static Input Mask(params int[] shape) => g => Tensor.FromArray(Enumerable.Range(0, Numel(shape)).Select(_ => g.NextInt(2)).ToArray(), shape);

    private static string F(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static int Numel(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    // ---- the table -------------------------------------------------------------------------------

    private static OpCase[] BuildTable()
    {
        var table = new List<OpCase>();
        void Add(string name, string op, Func<Tensor[], Tensor> f, Input[] inputs, double eps = 1e-6) => table.Add(new OpCase(name, op, f, inputs, eps));

        // Elementwise functions of one tensor, each in its domain.
        (string Name, string Op, Func<Tensor, Tensor> F, Func<int[], Input> Domain)[] unary =
        [
            ("Neg", "Neg", x => -x, s => N(s)),
            ("Neg()", "Neg", x => x.Neg(), s => N(s)),
            ("Exp", "Exp", x => x.Exp(), s => N(s)),
            ("Log", "Log", x => x.Log(), s => Positive(s)),
            ("Sqrt", "Sqrt", x => x.Sqrt(), s => Positive(s)),
            ("Pow 2", "Pow", x => x.Pow(2), s => N(s)),
            ("Pow 3", "Pow", x => x.Pow(3), s => N(s)),
            ("Pow 0.5", "Pow", x => x.Pow(0.5), s => Positive(s)),
            ("Pow -1", "Pow", x => x.Pow(-1), s => NonZero(s)),
            ("Pow 1", "Pow", x => x.Pow(1), s => N(s)),
            ("Pow 0", "Pow", x => x.Pow(0), s => N(s)),
            ("Square", "Square", x => x.Square(), s => N(s)),
            ("Abs", "Abs", x => x.Abs(), s => NonZero(s)),
            ("Sin", "Sin", x => x.Sin(), s => N(s)),
            ("Cos", "Cos", x => x.Cos(), s => N(s)),
            ("Tanh", "Tanh", x => x.Tanh(), s => N(s)),
            ("Erf", "Erf", x => x.Erf(), s => N(s)),
            ("Sigmoid", "Sigmoid", x => x.Sigmoid(), s => N(s)),
            ("Relu", "Relu", x => x.Relu(), s => NonZero(s)),
            ("LeakyRelu", "LeakyRelu", x => x.LeakyRelu(), s => NonZero(s)),
            ("LeakyRelu 0.2", "LeakyRelu", x => x.LeakyRelu(0.2), s => NonZero(s)),
            ("Softplus", "Softplus", x => x.Softplus(), s => N(s)),
            ("Gelu", "Gelu", x => x.Gelu(), s => N(s)),
            ("Clone", "Clone", x => x.Clone(), s => N(s)),
            ("x + 2.5", "AddScalar", x => x + 2.5, s => N(s)),
            ("2.5 + x", "AddScalar", x => 2.5 + x, s => N(s)),
            ("AddScalar", "AddScalar", x => x.AddScalar(-0.5), s => N(s)),
            ("x - 1.5", "AddScalar", x => x - 1.5, s => N(s)),
            ("1.5 - x", "ReverseSubtractScalar", x => 1.5 - x, s => N(s)),
            ("x * 3", "MultiplyScalar", x => x * 3, s => N(s)),
            ("3 * x", "MultiplyScalar", x => 3 * x, s => N(s)),
            ("x / 4", "MultiplyScalar", x => x / 4, s => N(s)),
            ("4 / x", "ReverseDivideScalar", x => 4 / x, s => NonZero(s)),
        ];
        foreach (var (name, op, f, domain) in unary)
            foreach (var shape in UnaryShapes)
                Add($"{name} {F(shape)}", op, t => f(t[0]), [domain(shape)]);
        Add("Softplus wide range (beyond 20)", "Softplus", t => t[0].Softplus(), [Fixed([-30, -3, -0.5, 0.4, 2, 19.5, 20.5, 25, 40], 3, 3)]);
        Add("Neg [2, 1, 3]", "Neg", t => -t[0], [N(2, 1, 3)]);

        // Elementwise functions of two tensors, with broadcasting.
        (string Name, string Op, Func<Tensor, Tensor, Tensor> F, Func<int[], Input> DomainA, Func<int[], Input> DomainB)[] binary =
        [
            ("+", "Add", (a, b) => a + b, s => N(s), s => N(s)),
            ("-", "Subtract", (a, b) => a - b, s => N(s), s => N(s)),
            ("*", "Multiply", (a, b) => a * b, s => N(s), s => N(s)),
            ("/", "Divide", (a, b) => a / b, s => N(s), s => NonZero(s)),
            ("Pow", "Pow", Tensor.Pow, s => Positive(s), s => N(s)),
            ("Maximum", "Maximum", Tensor.Maximum, s => Spaced(0, s), s => Spaced(0.25, s)),
            ("Minimum", "Minimum", Tensor.Minimum, s => Spaced(0, s), s => Spaced(0.25, s)),
        ];
        foreach (var (name, op, f, domainA, domainB) in binary)
            foreach (var (a, b) in BinaryShapes)
                Add($"{name} {F(a)} {F(b)}", op, t => f(t[0], t[1]), [domainA(a), domainB(b)]);
        Add("Add(a, b) [3, 4] [4]", "Add", t => Tensor.Add(t[0], t[1]), [N(3, 4), N(4)]);
        Add("Subtract(a, b) [3, 4] [4]", "Subtract", t => Tensor.Subtract(t[0], t[1]), [N(3, 4), N(4)]);
        Add("Multiply(a, b) [3, 4] [4]", "Multiply", t => Tensor.Multiply(t[0], t[1]), [N(3, 4), N(4)]);
        Add("Divide(a, b) [3, 4] [4]", "Divide", t => Tensor.Divide(t[0], t[1]), [N(3, 4), NonZero(4)]);
        Add("* with a constant [3, 4] [4]", "Multiply", t => t[0] * t[1], [N(3, 4), Constant(4)]);
        Add("/ by a constant [3, 4] [4]", "Divide", t => t[1] / t[0], [NonZero(3, 4), Constant(4)]);
        Add("* same tensor twice [2, 3]", "Multiply", t => t[0] * t[0], [N(2, 3)]);

        // Where: the condition (Int32, not differentiated) and both operands broadcast together.
        (int[] C, int[] A, int[] B)[] whereShapes = [([3, 4], [3, 4], [3, 4]), ([3, 4], [4], [3, 1]), ([4], [2, 1, 4], []), ([2, 1, 3], [4, 1], [2, 4, 3])];
        foreach (var (c, a, b) in whereShapes)
            Add($"Where {F(c)} {F(a)} {F(b)}", "Where", t => Tensor.Where(t[0], t[1], t[2]), [Mask(c), N(a), N(b)]);
        Add("Where Float64 condition [2, 3]", "Where", t => Tensor.Where(t[0], t[1], t[2]), [_ => Tensor.FromArray(new double[] { 1, 0, 0, 1, 1, 0 }, 2, 3), N(2, 3), N(3)]);

        // Clamp: values at least 0.1 from the bounds ±0.5.
        int[][] clampShapes = [[3, 4], [], [1]];
        foreach (var shape in clampShapes)
        {
            Add($"Clamp min {F(shape)}", "Clamp", t => t[0].Clamp(min: -0.5), [Spaced(0.1, shape)]);
            Add($"Clamp max {F(shape)}", "Clamp", t => t[0].Clamp(max: 0.5), [Spaced(0.1, shape)]);
            Add($"Clamp both {F(shape)}", "Clamp", t => t[0].Clamp(-0.5, 0.5), [Spaced(0.1, shape)]);
        }
        Add("Clamp both [] above max", "Clamp", t => t[0].Clamp(-0.5, 0.5), [Fixed([0.9])]);
        Add("Clamp both [1] below min", "Clamp", t => t[0].Clamp(-0.5, 0.5), [Fixed([-0.9], 1)]);

        // Softmax and LogSoftmax along each axis.
        (int[] Shape, int Axis)[] softmaxCases = [([3, 4], 0), ([3, 4], 1), ([3, 4], -1), ([2, 3, 4], 1), ([1], 0), ([1, 4], 0), ([1, 1], -1)];
        foreach (var (shape, axis) in softmaxCases)
        {
            Add($"Softmax {F(shape)} axis {axis}", "Softmax", t => t[0].Softmax(axis), [N(shape)]);
            Add($"LogSoftmax {F(shape)} axis {axis}", "LogSoftmax", t => t[0].LogSoftmax(axis), [N(shape)]);
        }
        Add("Softmax default axis [2, 3]", "Softmax", t => t[0].Softmax(), [N(2, 3)]);
        Add("LogSoftmax default axis [2, 3]", "LogSoftmax", t => t[0].LogSoftmax(), [N(2, 3)]);

        // Reductions: whole tensor and each axis, with and without kept dimensions.
        (int[] Shape, int? Axis)[] reductions = [([2, 3], null), ([2, 3], 0), ([2, 3], 1), ([2, 3], -1), ([2, 3, 4], 1), ([1], null), ([1], 0), ([1, 1], 1), ([], null)];
        foreach (var (shape, axis) in reductions)
        {
            foreach (bool keep in new[] { false, true })
            {
                string suffix = $"{F(shape)} axis {(axis is null ? "all" : axis.ToString())}{(keep ? " keepDims" : "")}";
                Add($"Sum {suffix}", "Sum", t => t[0].Sum(axis, keep), [N(shape)]);
                Add($"Mean {suffix}", "Mean", t => t[0].Mean(axis, keep), [N(shape)]);
                Add($"Max {suffix}", "Max", t => t[0].Max(axis, keep), [Spaced(0.1, shape)]);
                Add($"Min {suffix}", "Min", t => t[0].Min(axis, keep), [Spaced(0.1, shape)]);
                int count = axis is null ? Numel(shape) : shape[axis.Value < 0 ? axis.Value + shape.Length : axis.Value];
                if (count > 1) Add($"Var {suffix}", "Var", t => t[0].Var(axis, keep), [N(shape)]);
            }
        }
        Add("Var [2, 3] axis 1 correction 0", "Var", t => t[0].Var(1, correction: 0), [N(2, 3)]);
        Add("Var [1] correction 0", "Var", t => t[0].Var(correction: 0), [N(1)]);
        Add("Sum default [2, 3]", "Sum", t => t[0].Sum(), [N(2, 3)]);

        // Matrix products, as torch.matmul.
        (string Kind, int[] A, int[] B)[] products =
        [
            ("1-D·1-D", [3], [3]), ("2-D·1-D", [2, 3], [3]), ("1-D·2-D", [3], [3, 2]), ("2-D·2-D", [2, 3], [3, 4]),
            ("3-D·3-D batched", [2, 2, 3], [2, 3, 2]), ("broadcast batch", [2, 1, 3, 4], [5, 4, 2]), ("3-D·2-D", [2, 3, 4], [4, 2]),
            ("2-D·3-D", [3, 4], [2, 4, 2]), ("1-D·3-D", [4], [2, 4, 3]), ("3-D·1-D", [2, 3, 4], [4]), ("size-1", [1, 1], [1, 1]), ("size-1 vectors", [1], [1]),
        ];
        foreach (var (kind, a, b) in products)
            Add($"MatMul {kind} {F(a)} {F(b)}", "MatMul", t => t[0].MatMul(t[1]), [N(a), N(b)]);
        Add("MatMul with a constant [2, 3] [3, 2]", "MatMul", t => t[0].MatMul(t[1]), [N(2, 3), Constant(3, 2)]);
        Add("MatMul x·xᵀ [2, 3]", "MatMul", t => t[0].MatMul(t[0].T), [N(2, 3)]);

        // Moving elements: reshapes, transposes, squeezes, broadcasts.
        Add("Reshape [2, 3, 4] to [6, 4]", "Reshape", t => t[0].Reshape(6, 4), [N(2, 3, 4)]);
        Add("Reshape [2, 3, 4] to [-1]", "Reshape", t => t[0].Reshape(-1), [N(2, 3, 4)]);
        Add("Reshape [2, 3, 4] to [4, -1, 2]", "Reshape", t => t[0].Reshape(4, -1, 2), [N(2, 3, 4)]);
        Add("Reshape [1] to []", "Reshape", t => t[0].Reshape(), [N(1)]);
        Add("Reshape [] to [1, 1]", "Reshape", t => t[0].Reshape(1, 1), [N()]);
        Add("Flatten [2, 3]", "Flatten", t => t[0].Flatten(), [N(2, 3)]);
        Add("Transpose [2, 3]", "Transpose", t => t[0].Transpose(), [N(2, 3)]);
        Add("Transpose [2, 3, 4] axes 0, 2", "Transpose", t => t[0].Transpose(0, 2), [N(2, 3, 4)]);
        Add("Transpose [2, 3, 4] axes -1, -2", "Transpose", t => t[0].Transpose(-1, -2), [N(2, 3, 4)]);
        Add("T [3, 4]", "T", t => t[0].T, [N(3, 4)]);
        Add("T [1, 1]", "T", t => t[0].T, [N(1, 1)]);
        Add("T [2, 3, 4] reverses the axes", "T", t => t[0].T, [N(2, 3, 4)]);
        Add("T [3] is the vector", "T", t => t[0].T, [N(3)]);
        Add("Permute [2, 3, 4] to 2, 0, 1", "Permute", t => t[0].Permute(2, 0, 1), [N(2, 3, 4)]);
        Add("Permute [2, 3] to 1, 0", "Permute", t => t[0].Permute(1, 0), [N(2, 3)]);
        Add("Permute [] to ()", "Permute", t => t[0].Permute(), [N()]);
        Add("Squeeze [1, 3, 1] all", "Squeeze", t => t[0].Squeeze(), [N(1, 3, 1)]);
        Add("Squeeze [1, 3, 1] axis 0", "Squeeze", t => t[0].Squeeze(0), [N(1, 3, 1)]);
        Add("Squeeze [1, 3, 1] axis -1", "Squeeze", t => t[0].Squeeze(-1), [N(1, 3, 1)]);
        Add("Squeeze [1, 3, 1] axis 1 (not size 1)", "Squeeze", t => t[0].Squeeze(1), [N(1, 3, 1)]);
        Add("Unsqueeze [3, 4] axis 0", "Unsqueeze", t => t[0].Unsqueeze(0), [N(3, 4)]);
        Add("Unsqueeze [3, 4] axis 2", "Unsqueeze", t => t[0].Unsqueeze(2), [N(3, 4)]);
        Add("Unsqueeze [3, 4] axis -1", "Unsqueeze", t => t[0].Unsqueeze(-1), [N(3, 4)]);
        Add("Unsqueeze [] axis 0", "Unsqueeze", t => t[0].Unsqueeze(0), [N()]);
        Add("BroadcastTo [3] to [2, 3]", "BroadcastTo", t => t[0].BroadcastTo(2, 3), [N(3)]);
        Add("BroadcastTo [2, 1] to [2, 4]", "BroadcastTo", t => t[0].BroadcastTo(2, 4), [N(2, 1)]);
        Add("BroadcastTo [] to [2, 3]", "BroadcastTo", t => t[0].BroadcastTo(2, 3), [N()]);
        Add("BroadcastTo [1, 1] to [3, 1, 2]", "BroadcastTo", t => t[0].BroadcastTo(3, 1, 2), [N(1, 1)]);
        Add("BroadcastTo [2, 3] to itself", "BroadcastTo", t => t[0].BroadcastTo(2, 3), [N(2, 3)]);
        Add("To Float64 (identity) [2, 3]", "To", t => t[0].To(DType.Float64), [N(2, 3)]);
        // Through Float32 the values are rounded to 24 bits, so the step must be far above 1e-7.
        Add("To Float32 and back [2, 3]", "To", t => t[0].To(DType.Float32).To(DType.Float64), [N(2, 3)], eps: 1e-3);

        // Taking parts and joining them.
        Add("Slice [4, 5] axis 1 from 1 length 3", "Slice", t => t[0].Slice(1, 1, 3), [N(4, 5)]);
        Add("Slice [4, 5] axis 0 from 2 length 2", "Slice", t => t[0].Slice(0, 2, 2), [N(4, 5)]);
        Add("Slice [4, 5] axis -1 from 4 length 1", "Slice", t => t[0].Slice(-1, 4, 1), [N(4, 5)]);
        Add("Slice [3] from 1 length 1", "Slice", t => t[0].Slice(0, 1, 1), [N(3)]);
        Add("Concat [2, 3] [4, 3] axis 0", "Concat", t => Tensor.Concat([t[0], t[1]]), [N(2, 3), N(4, 3)]);
        Add("Concat [2, 3] [2, 1] [2, 2] axis 1", "Concat", t => Tensor.Concat([t[0], t[1], t[2]], 1), [N(2, 3), N(2, 1), N(2, 2)]);
        Add("Concat [2, 3] constant [2, 2] axis -1", "Concat", t => Tensor.Concat([t[0], t[1]], -1), [N(2, 3), Constant(2, 2)]);
        Add("Concat [1] [1]", "Concat", t => Tensor.Concat([t[0], t[1]]), [N(1), N(1)]);
        Add("Concat same tensor twice [2]", "Concat", t => Tensor.Concat([t[0], t[0]]), [N(2)]);
        foreach (int axis in new[] { 0, 1, 2, -1 })
            Add($"Stack 3 × [2, 3] axis {axis}", "Stack", t => Tensor.Stack([t[0], t[1], t[2]], axis), [N(2, 3), N(2, 3), N(2, 3)]);
        Add("Stack 2 × [] axis 0", "Stack", t => Tensor.Stack([t[0], t[1]]), [N(), N()]);
        Add("Gather [3, 4] axis 1 with repeats", "Gather", t => t[0].Gather(1, t[1]), [N(3, 4), Ints([0, 3, 2, 2, 1, 0], 3, 2)]);
        Add("Gather [3, 4] axis 0", "Gather", t => t[0].Gather(0, t[1]), [N(3, 4), Ints([2, 0, 1, 2, 1, 1, 0, 0], 2, 4)]);
        Add("Gather [3, 4] axis -1 smaller index", "Gather", t => t[0].Gather(-1, t[1]), [N(3, 4), Ints([3, 1, 0, 0], 2, 2)]);
        Add("Gather [1] axis 0", "Gather", t => t[0].Gather(0, t[1]), [N(1), Ints([0, 0, 0], 3)]);
        Add("IndexSelect [4, 3] axis 0 with repeats", "IndexSelect", t => t[0].IndexSelect(0, t[1]), [N(4, 3), Ints([2, 0, 2], 3)]);
        Add("IndexSelect [4, 3] axis 1", "IndexSelect", t => t[0].IndexSelect(1, t[1]), [N(4, 3), Ints([1, 1, 0, 2], 4)]);
        Add("IndexSelect [2, 3, 2] axis -1", "IndexSelect", t => t[0].IndexSelect(-1, t[1]), [N(2, 3, 2), Ints([1], 1)]);
        Add("IndexSelect [4, 3] no indices", "IndexSelect", t => t[0].IndexSelect(0, t[1]), [N(4, 3), Ints([], 0)]);

        // Convolution and pooling over NCHW planes (max pooling on spaced values, so no window has a tie).
        Add("Conv2d [2, 2, 4, 4] [3, 2, 3, 3] bias padding 1", "Conv2d", t => Tensor.Conv2d(t[0], t[1], t[2], padding: 1), [N(2, 2, 4, 4), N(3, 2, 3, 3), N(3)]);
        Add("Conv2d [1, 4, 5, 6] [4, 2, 2, 3] stride (2, 1) dilation (1, 2) groups 2", "Conv2d",
            t => Tensor.Conv2d(t[0], t[1], null, (2, 1), (1, 0), (1, 2), groups: 2), [N(1, 4, 5, 6), N(4, 2, 2, 3)]);
        Add("Conv2d 1x1 [2, 3, 3, 3] [2, 3, 1, 1]", "Conv2d", t => Tensor.Conv2d(t[0], t[1]), [N(2, 3, 3, 3), N(2, 3, 1, 1)]);
        Add("Conv2d unbatched [2, 4, 4] with a constant weight", "Conv2d", t => Tensor.Conv2d(t[0], t[1], stride: 2), [N(2, 4, 4), Constant(2, 2, 3, 3)]);
        Add("MaxPool2d [2, 2, 4, 4] kernel 2", "MaxPool2d", t => t[0].MaxPool2d(2), [Spaced(0, 2, 2, 4, 4)]);
        Add("MaxPool2d [1, 2, 5, 5] kernel 3 stride 2 padding 1 ceil", "MaxPool2d", t => t[0].MaxPool2d(3, 2, 1, ceilMode: true), [Spaced(0, 1, 2, 5, 5)]);
        Add("MaxPool2d [2, 5, 5] kernel (2, 3) dilation 2", "MaxPool2d", t => t[0].MaxPool2d((2, 3), (1, 1), dilation: (2, 1)), [Spaced(0, 2, 5, 5)]);
        Add("AvgPool2d [2, 2, 4, 4] kernel 2", "AvgPool2d", t => t[0].AvgPool2d(2), [N(2, 2, 4, 4)]);
        Add("AvgPool2d [1, 2, 5, 5] kernel 3 stride 2 padding 1 ceil, padding excluded", "AvgPool2d",
            t => t[0].AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false), [N(1, 2, 5, 5)]);
        Add("AvgPool2d [2, 5, 4] kernel (3, 2) stride (1, 2)", "AvgPool2d", t => t[0].AvgPool2d((3, 2), (1, 2)), [N(2, 5, 4)]);

        // The fused affine map of a layer (its plain backward adds into Grad; gradcheck uses the recorded form).
        Add("Linear [3, 4] [5, 4] bias", "Linear", t => Tensor.Linear(t[0], t[1], t[2]), [N(3, 4), N(5, 4), N(5)]);
        Add("Linear [2, 3, 4] [2, 4] no bias", "Linear", t => Tensor.Linear(t[0], t[1]), [N(2, 3, 4), N(2, 4)]);
        Add("Linear [4] [3, 4] bias", "Linear", t => Tensor.Linear(t[0], t[1], t[2]), [N(4), N(3, 4), N(3)]);

        // A composition, as a model uses them: a linear layer, an activation, a loss.
        Add("Composite: logsoftmax(relu(x·W + b)) picked by labels", "MatMul",
            t => -(t[0].MatMul(t[1]) + t[2]).Relu().LogSoftmax(1).Gather(1, t[3]).Mean(),
            [N(3, 4), N(4, 5), NonZero(5), Ints([4, 0, 2], 3, 1)]);

        return [.. table];
    }
}
