namespace Nabla;

/// <summary>
/// Checks second derivatives, as <c>torch.autograd.gradgradcheck</c>: runs <see cref="GradCheck"/> on the
/// gradient function itself, the vector-Jacobian product x, v ↦ vᵀ·∂f/∂x computed with
/// <c>createGraph: true</c>.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.Randn([2, 3], new Generator(1), DType.Float64).RequiresGradient();
/// GradGradCheck.Assert(t => t[0].Tanh(), [x]);   // the backward of tanh is itself differentiable and right
/// </code>
/// </example>
/// <remarks>
/// The gradient function's inputs are the function's inputs followed by one random gradient output per
/// function output (drawn from a seeded <see cref="Generator"/>, and checked too, since the backward must
/// also be linear in them). Its outputs are the gradients of the checked inputs. In a report, "input i"
/// is the function's input i, "gradient output k" the random vector for output k, and "the gradient of
/// input i" an output of the gradient function. The same cautions as for <see cref="GradCheck"/> hold:
/// small Float64 tensors, away from kinks.
/// </remarks>
public static class GradGradCheck
{
    /// <summary>Checks the second derivatives of a function with one output and reports every problem found.</summary>
    /// <param name="function">The function whose backward pass is checked.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <param name="seed">The seed of the random gradient outputs.</param>
    /// <returns>A report: <see cref="GradCheckReport.Passed"/>, the failures and the worst element.</returns>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static GradCheckReport Check(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Check(x => [function(x)], inputs, eps, atol, rtol, seed);
    }

    /// <summary>Checks the second derivatives of a function with several outputs and reports every problem found.</summary>
    /// <param name="function">The function whose backward pass is checked.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <param name="seed">The seed of the random gradient outputs.</param>
    /// <returns>A report: <see cref="GradCheckReport.Passed"/>, the failures and the worst element.</returns>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static GradCheckReport Check(Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        var tolerances = new GradCheckTolerances(eps, atol, rtol);
        const string check = nameof(GradGradCheck);
        var differentiated = GradCheck.ValidateInputs(check, inputs);
        int n = inputs.Count;

        // One random gradient output per function output, shaped by a first call.
        Tensor[] outputs;
        var probe = inputs.Select(x => x.DType == DType.Int32 ? x : x.Detach().RequiresGradient(x.RequiresGrad)).ToArray();
        outputs = function(probe) ?? throw new InvalidOperationException($"{check}: the function returned null instead of its outputs.");
        var generator = new Generator(seed);
        var gradOutputs = new Tensor[outputs.Length];
        for (int o = 0; o < outputs.Length; o++)
        {
            var y = outputs[o] ?? throw new InvalidOperationException($"{check}: the function returned null for output {o}.");
            if (y.DType != DType.Float64)
                throw new ArgumentException($"{check}: output {o} (shape {Shapes.Format(y.ShapeArray)}) is {y.DType}; the function must return Float64 tensors so its derivatives can be compared (keep the computation in Float64).", nameof(function));
            gradOutputs[o] = Tensor.Randn(y.ShapeArray, generator, DType.Float64).RequiresGradient();
        }

        Tensor[] GradientFunction(Tensor[] all)
        {
            var xs = all[..n];
            var ys = function(xs);
            var targets = differentiated.Select(i => xs[i]).ToArray();
            var used = Enumerable.Range(0, ys.Length).Where(o => ys[o].RequiresGrad).ToArray();
            var grads = used.Length == 0
                ? new Tensor?[targets.Length]
                : Autograd.Grad(used.Select(o => ys[o]).ToArray(), targets, used.Select(o => all[n + o]).ToArray(), createGraph: true, allowUnused: true);
            return grads.Select((g, k) => g ?? Tensor.Zeros(targets[k].ShapeArray, DType.Float64)).ToArray();
        }

        var all = inputs.Concat(gradOutputs).ToArray();
        var checkedAll = differentiated.Concat(Enumerable.Range(n, gradOutputs.Length)).ToArray();
        return GradCheck.Run(check, GradientFunction, all, checkedAll,
            i => i < n ? $"input {i}" : $"gradient output {i - n}",
            o => $"the gradient of input {differentiated[o]}",
            tolerances);
    }

    /// <summary>Checks the second derivatives of a function with one output, and throws if any check fails.</summary>
    /// <param name="function">The function whose backward pass is checked.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <param name="seed">The seed of the random gradient outputs.</param>
    /// <exception cref="InvalidOperationException">A check failed; the message names each failure and the worst element.</exception>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static void Assert(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 0)
        => Check(function, inputs, eps, atol, rtol, seed).ThrowIfFailed();

    /// <summary>Checks the second derivatives of a function with several outputs, and throws if any check fails.</summary>
    /// <param name="function">The function whose backward pass is checked.</param>
    /// <param name="inputs">Float64 tensors (and Int32 tensors, passed through); those that require gradients are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="rtol">The tolerance relative to the numeric derivative.</param>
    /// <param name="seed">The seed of the random gradient outputs.</param>
    /// <exception cref="InvalidOperationException">A check failed; the message names each failure and the worst element.</exception>
    /// <exception cref="ArgumentException">An input is Float32, no input requires gradients, or the function returns a tensor that is not Float64.</exception>
    public static void Assert(Func<Tensor[], Tensor[]> function, IReadOnlyList<Tensor> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 0)
        => Check(function, inputs, eps, atol, rtol, seed).ThrowIfFailed();
}
