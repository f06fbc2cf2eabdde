using System.Globalization;

namespace Nabla;

/// <summary>
/// Checks analytic gradients against finite differences, as <c>torch.autograd.gradcheck</c>: proves a
/// backward pass right, or names the element where it is wrong.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.Randn([3, 4], new Generator(1), DType.Float64).RequiresGradient();
/// var report = GradCheck.Check(t => t[0].Tanh().Sum(axis: 1), [x]);
/// Console.WriteLine(report);                        // "GradCheck passed: 48 Jacobian elements agree ..."
/// GradCheck.Assert(t => t[0].Detach() * t[0], [x]); // throws: the Detach hides half the derivative
/// </code>
/// </example>
/// <remarks>
/// <para>
/// Every input that <see cref="Tensor.RequiresGrad"/> is checked; the others (constants, Int32 indices)
/// are passed through unchanged. The function is called with copies of the inputs, so each input slot is
/// differentiated separately even when the same tensor is passed twice, and the inputs' <see cref="Tensor.Grad"/>
/// are left alone. The function must be deterministic and return Float64 tensors.
/// </para>
/// <para>The checks, for every output and every checked input:</para>
/// <list type="bullet">
/// <item>the analytic Jacobian, built row by row from vector-Jacobian products with one-hot gradient
/// outputs (<see cref="Autograd.Grad(Tensor[], Tensor[], Tensor[], bool, bool, bool?)"/>), equals the
/// central-difference Jacobian (f(x + eps) − f(x − eps)) / 2eps within atol + rtol·|numeric|;</item>
/// <item>backward is repeatable: a second forward and backward pass gives bit-identical gradients;</item>
/// <item>each gradient has its input's shape and element type;</item>
/// <item>a zero upstream gradient gives zero (or no) input gradients.</item>
/// </list>
/// <para>
/// Cost: one backward pass per output element and two function calls per checked input element, twice
/// over for the repeatability check: meant for small tensors. Near a kink (|x| at 0, ReLU at 0, a tie in
/// a maximum) the numeric derivative straddles two slopes and the check rightly fails; choose inputs
/// more than eps away from kinks.
/// </para>
/// </remarks>
public static class GradCheck
{
    /// <summary>
    /// Checks the gradients of a function with one output and reports every problem found.
    /// </summary>
    /// <param name="function">The function to check; it receives the inputs (as copies) in order.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are checked.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <returns>A report: <see cref="GradCheckReport.Passed"/>, the failures and the worst element.</returns>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step or tolerance is out of range.</exception>
    /// <exception cref="InvalidOperationException">Called inside <see cref="Autograd.NoGrad"/>.</exception>
    public static GradCheckReport Check(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Check(x => [function(x)], inputs, eps, atol, rtol);
    }

    /// <summary>
    /// Checks the gradients of a function with several outputs (every output against every checked input)
    /// and reports every problem found.
    /// </summary>
    /// <param name="function">The function to check; it receives the inputs (as copies) in order.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are checked.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <returns>A report: <see cref="GradCheckReport.Passed"/>, the failures and the worst element.</returns>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step or tolerance is out of range.</exception>
    /// <exception cref="InvalidOperationException">Called inside <see cref="Autograd.NoGrad"/>.</exception>
    public static GradCheckReport Check(Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(function);
        var tolerances = new GradCheckTolerances(eps, atol, rtol);
        var checkedInputs = ValidateInputs(nameof(GradCheck), inputs);
        return Run(nameof(GradCheck), function, inputs, checkedInputs, i => $"input {i}", o => $"output {o}", tolerances);
    }

    /// <summary>Checks the gradients of a function with one output, and throws if any check fails.</summary>
    /// <param name="function">The function to check; it receives the inputs (as copies) in order.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are checked.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <exception cref="InvalidOperationException">A check failed; the message names each failure and the worst element.</exception>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static void Assert(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
        => Check(function, inputs, eps, atol, rtol).ThrowIfFailed();

    /// <summary>Checks the gradients of a function with several outputs, and throws if any check fails.</summary>
    /// <param name="function">The function to check; it receives the inputs (as copies) in order.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are checked.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <exception cref="InvalidOperationException">A check failed; the message names each failure and the worst element.</exception>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static void Assert(Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
        => Check(function, inputs, eps, atol, rtol).ThrowIfFailed();

    /// <summary>Rejects what cannot be checked; returns the positions of the inputs that require gradients.</summary>
    internal static int[] ValidateInputs(string check, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!Autograd.IsGradEnabled)
            throw new InvalidOperationException($"{check}: gradients are turned off on this thread (inside Autograd.NoGrad()), so there is no backward pass to check; run the check outside the NoGrad scope.");
        var checkedInputs = new List<int>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"{check}: input {i} is null.");
            if (x.DType == DType.Float32)
                throw new ArgumentException($"{check}: input {i} (shape {Shapes.Format(x.ShapeArray)}) is Float32, but gradient checks need Float64: finite differences in single precision are too coarse to compare. Create it with DType.Float64 or convert it with To(DType.Float64).", nameof(inputs));
            if (x.RequiresGrad) checkedInputs.Add(i);
        }
        if (checkedInputs.Count == 0)
            throw new ArgumentException($"{check}: no input requires gradients, so there is nothing to check; set RequiresGrad = true on the inputs to differentiate.", nameof(inputs));
        return [.. checkedInputs];
    }

    /// <summary>
    /// The checks themselves, shared with <see cref="GradGradCheck"/>, which supplies its own names for
    /// the inputs and outputs.
    /// </summary>
    internal static GradCheckReport Run(string check, Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs,
        int[] checkedInputs, Func<int, string> inputName, Func<int, string> outputName, GradCheckTolerances tolerances)
    {
        var failures = new List<GradCheckFailure>();
        var names = new Names(inputs, checkedInputs, inputName, outputName);

        var first = AnalyticJacobian(check, function, inputs, names, failures);
        var second = AnalyticJacobian(check, function, inputs, names, failures: null);
        var numeric = NumericJacobian(check, function, inputs, names, first.OutputShapes, tolerances.Eps);

        double maxError = 0;
        int compared = 0;
        for (int o = 0; o < first.OutputShapes.Length; o++)
        {
            for (int c = 0; c < checkedInputs.Length; c++)
            {
                if (first.Invalid[o][c]) continue;
                compared += first.Values[o][c].Length;
                var mismatch = CompareJacobians(first.Values[o][c], numeric[o][c], tolerances, names, o, c, first.OutputShapes[o], ref maxError);
                if (mismatch is not null) failures.Add(mismatch);
                var repeat = CompareRuns(first.Values[o][c], second.Values[o][c], names, o, c, first.OutputShapes[o]);
                if (repeat is not null) failures.Add(repeat);
            }
        }
        failures.AddRange(ZeroGradOutputCheck(check, function, inputs, names));
        return new GradCheckReport(check, failures, maxError, compared, tolerances);
    }

    /// <summary>Who is who in the messages, and the shapes the checks need.</summary>
    private sealed class Names(IReadOnlyList<Tensor> inputs, int[] checkedInputs, Func<int, string> inputName, Func<int, string> outputName)
    {
        public readonly int[] Checked = checkedInputs;
        public int[] InputShape(int c) => inputs[Checked[c]].ShapeArray;
        public int InputIndex(int c) => Checked[c];
        public string Input(int c) => inputName(Checked[c]);
        public string Output(int o) => outputName(o);
    }

    private sealed record Jacobians(int[][] OutputShapes, double[][][] Values, bool[][] Invalid);

    /// <summary>
    /// Fresh copies of the inputs for one run: Float64 tensors get their own storage (and keep
    /// <see cref="Tensor.RequiresGrad"/>), so perturbing one never shows through another; Int32 pass through.
    /// </summary>
    private static Tensor[] Copies(IReadOnlyList<Tensor> inputs)
    {
        var copies = new Tensor[inputs.Count];
        for (int i = 0; i < copies.Length; i++)
        {
            var x = inputs[i];
            copies[i] = x.DType == DType.Int32 ? x : new Tensor((double[])x.Float64Data.Clone(), x.ShapeArray, DType.Float64) { RequiresGrad = x.RequiresGrad };
        }
        return copies;
    }

    private static Tensor[] Evaluate(string check, Func<Tensor[], Tensor[]> function, Tensor[] inputs)
    {
        var outputs = function(inputs) ?? throw new InvalidOperationException($"{check}: the function returned null instead of its outputs.");
        for (int o = 0; o < outputs.Length; o++)
        {
            if (outputs[o] is null) throw new InvalidOperationException($"{check}: the function returned null for output {o}.");
            if (outputs[o].DType != DType.Float64)
                throw new ArgumentException($"{check}: output {o} (shape {Shapes.Format(outputs[o].ShapeArray)}) is {outputs[o].DType}; the function must return Float64 tensors so its derivatives can be compared (keep the computation in Float64).", nameof(function));
        }
        return outputs;
    }

    /// <summary>
    /// The Jacobian of every output with respect to every checked input, one row (output element) per
    /// backward pass. Records wrong gradient shapes and types in <paramref name="failures"/> when given.
    /// </summary>
    private static Jacobians AnalyticJacobian(string check, Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs, Names names, List<GradCheckFailure>? failures)
    {
        var copies = Copies(inputs);
        var outputs = Evaluate(check, function, copies);
        var targets = names.Checked.Select(i => copies[i]).ToArray();
        var shapes = new int[outputs.Length][];
        var values = new double[outputs.Length][][];
        var invalid = new bool[outputs.Length][];
        for (int o = 0; o < outputs.Length; o++)
        {
            var output = outputs[o];
            shapes[o] = output.ShapeArray;
            values[o] = targets.Select(t => new double[output.Length * t.Length]).ToArray();
            invalid[o] = new bool[targets.Length];
            if (!output.RequiresGrad) continue; // no graph: the analytic derivative is zero
            for (int row = 0; row < output.Length; row++)
            {
                var seed = Tensor.Empty(output.ShapeArray, DType.Float64);
                seed.Float64Data[row] = 1;
                var grads = Autograd.Grad([output], targets, [seed], allowUnused: true, retainGraph: true);
                for (int c = 0; c < targets.Length; c++)
                {
                    var g = grads[c];
                    if (g is null || invalid[o][c]) continue;
                    var problem = GradientProblem(g, names, o, c);
                    if (problem is not null)
                    {
                        invalid[o][c] = true;
                        failures?.Add(problem);
                        continue;
                    }
                    g.Float64Data.CopyTo(values[o][c], row * targets[c].Length);
                }
            }
        }
        return new Jacobians(shapes, values, invalid);
    }

    private static GradCheckFailure? GradientProblem(Tensor g, Names names, int o, int c)
    {
        var shape = names.InputShape(c);
        if (!Shapes.SameShape(g.ShapeArray, shape))
            return new GradCheckFailure(GradCheckFailureKind.GradientShape, names.InputIndex(c), names.Input(c), o, names.Output(o), -1, [], -1, [], double.NaN, double.NaN, 1,
                $"Wrong gradient shape: backward from {names.Output(o)} gave {names.Input(c)} a gradient of shape {Shapes.Format(g.ShapeArray)}, but the input has shape {Shapes.Format(shape)}.");
        if (g.DType != DType.Float64)
            return new GradCheckFailure(GradCheckFailureKind.GradientDType, names.InputIndex(c), names.Input(c), o, names.Output(o), -1, [], -1, [], double.NaN, double.NaN, 1,
                $"Wrong gradient type: backward from {names.Output(o)} gave {names.Input(c)} a {g.DType} gradient, but the input is Float64.");
        return null;
    }

    /// <summary>
    /// The central-difference Jacobian: each element of each checked input moved by ±eps in turn,
    /// the function called on the moved copy, one column per element.
    /// </summary>
    private static double[][][] NumericJacobian(string check, Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs, Names names, int[][] outputShapes, double eps)
    {
        var copies = Copies(inputs);
        var result = outputShapes.Select(s => names.Checked.Select(i => new double[Shapes.Numel(s) * inputs[i].Length]).ToArray()).ToArray();
        for (int c = 0; c < names.Checked.Length; c++)
        {
            var data = copies[names.Checked[c]].Float64Data;
            int columns = data.Length;
            for (int k = 0; k < columns; k++)
            {
                double original = data[k];
                data[k] = original + eps;
                var plus = Values(check, function, copies, outputShapes);
                data[k] = original - eps;
                var minus = Values(check, function, copies, outputShapes);
                data[k] = original;
                for (int o = 0; o < outputShapes.Length; o++)
                    for (int row = 0; row < plus[o].Length; row++)
                        result[o][c][row * columns + k] = (plus[o][row] - minus[o][row]) / (2 * eps);
            }
        }
        return result;
    }

    private static double[][] Values(string check, Func<Tensor[], Tensor[]> function, Tensor[] inputs, int[][] outputShapes)
    {
        var outputs = Evaluate(check, function, inputs);
        if (outputs.Length != outputShapes.Length)
            throw new InvalidOperationException($"{check}: the function returned {outputShapes.Length} outputs, then {outputs.Length} for slightly moved inputs; it must be deterministic.");
        var values = new double[outputs.Length][];
        for (int o = 0; o < outputs.Length; o++)
        {
            if (!Shapes.SameShape(outputs[o].ShapeArray, outputShapes[o]))
                throw new InvalidOperationException($"{check}: output {o} had shape {Shapes.Format(outputShapes[o])}, then {Shapes.Format(outputs[o].ShapeArray)} for slightly moved inputs; it must be deterministic.");
            values[o] = (double[])outputs[o].Float64Data.Clone(); // an output may share storage with the moved input
        }
        return values;
    }

    private static GradCheckFailure? CompareJacobians(double[] analytic, double[] numeric, GradCheckTolerances tolerances, Names names, int o, int c, int[] outputShape, ref double maxError)
    {
        int columns = Shapes.Numel(names.InputShape(c));
        int mismatches = 0, worst = -1;
        double worstExcess = double.NegativeInfinity;
        for (int e = 0; e < analytic.Length; e++)
        {
            double error = Math.Abs(analytic[e] - numeric[e]);
            maxError = double.IsNaN(error) || double.IsNaN(maxError) ? double.NaN : Math.Max(maxError, error);
            if (tolerances.Accepts(analytic[e], numeric[e])) continue;
            mismatches++;
            double excess = error - (tolerances.Atol + tolerances.Rtol * Math.Abs(numeric[e]));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (worst < 0 || excess > worstExcess) (worst, worstExcess) = (e, excess);
        }
        if (worst < 0) return null;

        int row = worst / columns, column = worst % columns;
        var inputElement = Unravel(column, names.InputShape(c));
        var outputElement = Unravel(row, outputShape);
        double a = analytic[worst], n = numeric[worst];
        var f = CultureInfo.InvariantCulture;
        string message = string.Format(f,
            "Jacobian mismatch for {0} with respect to {1} (shape {2}): {3} of {4} elements differ. Worst: d {5} / d {6} (flat index {7}): analytic {8:G8}, numeric {9:G8}, difference {10:G3} (allowed {11:G3}).",
            names.Output(o), names.Input(c), Shapes.Format(names.InputShape(c)), mismatches, analytic.Length,
            Element(names.Output(o), outputElement), Element(names.Input(c), inputElement), column, a, n, Math.Abs(a - n), tolerances.Atol + tolerances.Rtol * Math.Abs(n));
        return new GradCheckFailure(GradCheckFailureKind.JacobianMismatch, names.InputIndex(c), names.Input(c), o, names.Output(o),
            column, inputElement, row, outputElement, a, n, mismatches, message);
    }

    private static GradCheckFailure? CompareRuns(double[] first, double[] second, Names names, int o, int c, int[] outputShape)
    {
        int differing = 0, worst = -1;
        double worstDifference = -1;
        for (int e = 0; e < first.Length; e++)
        {
            if (BitConverter.DoubleToInt64Bits(first[e]) == BitConverter.DoubleToInt64Bits(second[e])) continue;
            differing++;
            double difference = Math.Abs(first[e] - second[e]);
            if (double.IsNaN(difference)) difference = double.PositiveInfinity;
            if (difference > worstDifference) (worst, worstDifference) = (e, difference);
        }
        if (worst < 0) return null;

        int columns = Shapes.Numel(names.InputShape(c));
        int row = worst / columns, column = worst % columns;
        var inputElement = Unravel(column, names.InputShape(c));
        var outputElement = Unravel(row, outputShape);
        string message = string.Format(CultureInfo.InvariantCulture,
            "Backward is not repeatable: two runs gave different gradients of {0} with respect to {1} in {2} of {3} elements. Largest: d {4} / d {5} (flat index {6}): first run {7:R}, second run {8:R}.",
            names.Output(o), names.Input(c), differing, first.Length, Element(names.Output(o), outputElement), Element(names.Input(c), inputElement), column, first[worst], second[worst]);
        return new GradCheckFailure(GradCheckFailureKind.NotRepeatable, names.InputIndex(c), names.Input(c), o, names.Output(o),
            column, inputElement, row, outputElement, second[worst], first[worst], differing, message);
    }

    /// <summary>Backward with zero gradient outputs must give zero (or no) gradients.</summary>
    private static List<GradCheckFailure> ZeroGradOutputCheck(string check, Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs, Names names)
    {
        var failures = new List<GradCheckFailure>();
        var copies = Copies(inputs);
        var outputs = Evaluate(check, function, copies).Where(y => y.RequiresGrad).ToArray();
        if (outputs.Length == 0) return failures;
        var targets = names.Checked.Select(i => copies[i]).ToArray();
        var grads = Autograd.Grad(outputs, targets, outputs.Select(Tensor.ZerosLike).ToArray(), allowUnused: true);
        for (int c = 0; c < targets.Length; c++)
        {
            var g = grads[c];
            if (g is null || g.DType != DType.Float64 || !Shapes.SameShape(g.ShapeArray, targets[c].ShapeArray)) continue; // absent, or reported already
            var data = g.Float64Data;
            int nonZero = 0, worst = -1;
            for (int k = 0; k < data.Length; k++)
            {
                if (data[k] == 0) continue;
                nonZero++;
                double size = double.IsNaN(data[k]) ? double.PositiveInfinity : Math.Abs(data[k]);
                if (worst < 0 || size > (double.IsNaN(data[worst]) ? double.PositiveInfinity : Math.Abs(data[worst]))) worst = k;
            }
            if (worst < 0) continue;
            var element = Unravel(worst, targets[c].ShapeArray);
            string message = string.Format(CultureInfo.InvariantCulture,
                "A zero upstream gradient gave {0} a non-zero gradient in {1} of {2} elements (backward does not scale with the gradient it is given). Largest: {3} (flat index {4}): {5:G10}, expected 0.",
                names.Input(c), nonZero, data.Length, Element(names.Input(c), element), worst, data[worst]);
            failures.Add(new GradCheckFailure(GradCheckFailureKind.NonZeroForZeroGradOutput, names.InputIndex(c), names.Input(c), -1, null,
                worst, element, -1, [], data[worst], 0, nonZero, message));
        }
        return failures;
    }

    /// <summary>"input 0[1, 2]": a tensor's name with an element's indices (just the name for a scalar).</summary>
    private static string Element(string tensor, int[] index) => index.Length == 0 ? tensor : tensor + Shapes.Format(index);

    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) continue;
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
