namespace Nabla.Calculus;

/// <summary>
/// Derivatives as functions and as products, built on reverse-mode automatic differentiation, as
/// <c>torch.func</c> and <c>torch.autograd.functional</c>: the gradient of a scalar function, the
/// Jacobian and Hessian matrices, and Jacobian-vector, vector-Jacobian and Hessian-vector products.
/// </summary>
/// <example>
/// <code>
/// Func&lt;Tensor, Tensor&gt; f = x =&gt; (x * x * x).Sum();                 // f(x) = Σ xᵢ³
/// var x = Tensor.FromArray(new[] { 1.0, 2.0 });
/// Tensor g = Functional.Grad(f)(x);                                  // [3, 12]
/// Tensor h = Functional.Hessian(f, x);                               // [[6, 0], [0, 12]]
/// var (y, jv) = Functional.Jvp(t =&gt; t.Sin(), x, Tensor.FromArray(new[] { 1.0, 0.0 }));   // jv = [cos 1, 0]
///
/// Func&lt;Tensor, Tensor&gt; cube = t =&gt; t * t * t;                       // transforms compose:
/// double d2 = Functional.Grad(Functional.Grad(cube))(Tensor.Scalar(2.0, DType.Float64)).Item();   // 12
/// </code>
/// </example>
/// <remarks>
/// <para>
/// Inputs are left alone: f receives a detached view of x that requires gradients, so x's
/// <see cref="Tensor.RequiresGrad"/>, <see cref="Tensor.Grad"/> and values stay as they were. Float32 and
/// Float64 inputs are accepted; the results have the input's element type. Gradients are recorded inside
/// a transform even when it is called within <see cref="Autograd.NoGrad"/>, as <c>torch.enable_grad</c>
/// does in <c>torch.autograd.functional</c>.
/// </para>
/// <para>
/// Results are detached by default. Inside another transform (<c>Grad(Grad(f))</c>, <c>Jacobian(Grad(f), x)</c>,
/// or any f that calls a transform on its argument), results stay differentiable with respect to the
/// argument, so transforms compose as in <c>torch.func</c>. Elsewhere, pass <c>createGraph: true</c> to keep
/// the results differentiable with respect to an x that requires gradients (a gradient penalty in a loss,
/// or <see cref="GradCheck"/> of a gradient), as <c>create_graph=True</c> in <c>torch.autograd.functional</c>.
/// </para>
/// <para>
/// An output that does not depend on x (a constant, or a detached tensor) has zero derivatives, as
/// <c>strict=False</c> in <c>torch.autograd.functional</c>. Differences from PyTorch: <see cref="Grad(Func{Tensor, Tensor}, bool)"/>
/// accepts any one-element output, not only rank 0; <see cref="Jvp"/> is computed by two reverse passes (the
/// double-backward trick) rather than forward-mode dual numbers, so it relies on every op's backward being
/// differentiable, which holds for Nabla's ops; <see cref="HessianVectorProduct"/> computes vᵀ·H, which is
/// H·v wherever f is twice continuously differentiable.
/// </para>
/// </remarks>
public static class Functional
{
    /// <summary>How many transforms are running in this flow: inside one, results stay connected to their argument.</summary>
    private static readonly AsyncLocal<int> s_depth = new();

    /// <summary>The gradient of a scalar function, as a function: x ↦ ∇f(x), shaped like x (<c>torch.func.grad</c>).</summary>
    /// <param name="f">A function returning one element (rank 0, or any shape holding a single element).</param>
    /// <param name="createGraph">Keep the gradient differentiable with respect to x (see the class remarks).</param>
    /// <returns>A function that evaluates f once and runs one backward pass per call.</returns>
    /// <exception cref="ArgumentException">(When called) x is Int32, or f returns more than one element or an Int32 tensor.</exception>
    public static Func<Tensor, Tensor> Grad(Func<Tensor, Tensor> f, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x => ValueAndGradient(nameof(Grad), f, x, createGraph).Gradient;
    }

    /// <summary>
    /// The gradient of a scalar function of several tensors with respect to the chosen ones, as
    /// <c>torch.func.grad</c> with <c>argnums</c>: the other arguments are passed through as constants.
    /// </summary>
    /// <param name="f">A function of the arguments returning one element.</param>
    /// <param name="withRespectTo">The positions of the arguments to differentiate, distinct; the gradients come back in this order.</param>
    /// <param name="createGraph">Keep the gradients differentiable with respect to the arguments (see the class remarks).</param>
    /// <returns>A function from the arguments to one gradient per chosen argument, each shaped like it.</returns>
    /// <exception cref="ArgumentException"><paramref name="withRespectTo"/> is empty, repeats a position, or (when called) names a
    /// position outside the arguments or an Int32 argument.</exception>
    public static Func<Tensor[], Tensor[]> Grad(Func<Tensor[], Tensor> f, IReadOnlyList<int> withRespectTo, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(withRespectTo);
        int[] chosen = [.. withRespectTo];
        if (chosen.Length == 0)
            throw new ArgumentException("Grad: withRespectTo is empty; name at least one argument position to differentiate.", nameof(withRespectTo));
        if (chosen.Distinct().Count() != chosen.Length)
            throw new ArgumentException($"Grad: withRespectTo [{string.Join(", ", chosen)}] repeats a position; each argument can be chosen once.", nameof(withRespectTo));
        return args => GradientsOfArguments(f, args, chosen, createGraph);
    }

    /// <summary>The value and the gradient of a scalar function, from one evaluation (<c>torch.func.grad_and_value</c>, in the other order).</summary>
    /// <param name="f">A function returning one element.</param>
    /// <param name="createGraph">Keep both results differentiable with respect to x (see the class remarks).</param>
    /// <returns>A function returning f(x) (as f returned it, detached) and ∇f(x), shaped like x.</returns>
    /// <exception cref="ArgumentException">(When called) x is Int32, or f returns more than one element or an Int32 tensor.</exception>
    public static Func<Tensor, (Tensor Value, Tensor Gradient)> ValueAndGrad(Func<Tensor, Tensor> f, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x => ValueAndGradient(nameof(ValueAndGrad), f, x, createGraph);
    }

    /// <summary>
    /// The Jacobian of f at x, shaped f(x).Shape ++ x.Shape: element [i…, j…] is ∂f(x)[i…] / ∂x[j…], as
    /// <c>torch.autograd.functional.jacobian</c>.
    /// </summary>
    /// <remarks>
    /// Built row by row (one reverse pass per output element) when f(x) has at most as many elements as x,
    /// otherwise column by column (one Jacobian-vector product per input element, see <see cref="Jvp"/>).
    /// </remarks>
    /// <param name="f">A function of one tensor.</param>
    /// <param name="x">The point.</param>
    /// <param name="createGraph">Keep the Jacobian differentiable with respect to x (see the class remarks).</param>
    /// <exception cref="ArgumentException">x is Int32, or f returns an Int32 tensor.</exception>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        return JacobianOf(nameof(Jacobian), f, x, createGraph);
    }

    /// <summary>
    /// The Hessian of a scalar function at x, shaped x.Shape ++ x.Shape, as
    /// <c>torch.autograd.functional.hessian</c>: the Jacobian of the gradient.
    /// </summary>
    /// <param name="f">A function returning one element.</param>
    /// <param name="x">The point.</param>
    /// <param name="createGraph">Keep the Hessian differentiable with respect to x (see the class remarks).</param>
    /// <exception cref="ArgumentException">x is Int32, or f returns more than one element or an Int32 tensor.</exception>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        return JacobianOf(nameof(Hessian), t => ValueAndGradient(nameof(Hessian), f, t, createGraph: false).Gradient, x, createGraph);
    }

    /// <summary>
    /// The Hessian of a scalar function at x times v, shaped like x, without forming the Hessian: the
    /// vector-Jacobian product of the gradient (two reverse passes), as <c>torch.autograd.functional.vhp</c>,
    /// which equals <c>hvp</c> for a twice continuously differentiable f.
    /// </summary>
    /// <param name="f">A function returning one element.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, shaped like x and of its element type.</param>
    /// <param name="createGraph">Keep the product differentiable with respect to x (see the class remarks).</param>
    /// <exception cref="ShapeMismatchException">v's shape differs from x's.</exception>
    /// <exception cref="ArgumentException">x is Int32, v's element type differs from x's, or f returns more than one element.</exception>
    public static Tensor HessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        const string transform = nameof(HessianVectorProduct);
        RequireInput(transform, x, nameof(x));
        RequireDirection(transform, v, x, "x");
        return VectorJacobianProduct(transform, t => ValueAndGradient(transform, f, t, createGraph: false).Gradient, x, v, createGraph).Vjp;
    }

    /// <summary>
    /// f(x) and the Jacobian-vector product J·v (the derivative of f at x in direction v), shaped like f(x),
    /// as <c>torch.autograd.functional.jvp</c>.
    /// </summary>
    /// <remarks>
    /// Computed by the double-backward trick: u ↦ uᵀ·J is recorded for a placeholder u, and differentiating
    /// it with respect to u in direction v gives J·v. Cost: one forward and two reverse passes.
    /// </remarks>
    /// <param name="f">A function of one tensor.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, shaped like x and of its element type.</param>
    /// <param name="createGraph">Keep both results differentiable with respect to x (see the class remarks).</param>
    /// <exception cref="ShapeMismatchException">v's shape differs from x's.</exception>
    /// <exception cref="ArgumentException">x is Int32, v's element type differs from x's, or f returns an Int32 tensor.</exception>
    public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor, Tensor> f, Tensor x, Tensor v, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        const string transform = nameof(Jvp);
        RequireInput(transform, x, nameof(x));
        RequireDirection(transform, v, x, "x");
        using var scope = new Scope(transform, [x], createGraph);
        var variable = scope.Variable(x);
        var y = scope.Output(f(variable));
        var transposed = TransposedProduct(y, variable);
        var product = transposed is null
            ? Tensor.Zeros(y.ShapeArray, y.DType)
            : DirectionalDerivative(transposed.Value, v, scope.KeepGraph);
        return (scope.Result(y), scope.Result(product));
    }

    /// <summary>
    /// f(x) and the vector-Jacobian product vᵀ·J, shaped like x, as <c>torch.autograd.functional.vjp</c>
    /// and <c>torch.func.vjp</c>: one reverse pass seeded with v.
    /// </summary>
    /// <param name="f">A function of one tensor.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The cotangent, shaped like f(x) and of its element type.</param>
    /// <param name="createGraph">Keep both results differentiable with respect to x (see the class remarks).</param>
    /// <exception cref="ShapeMismatchException">v's shape differs from f(x)'s.</exception>
    /// <exception cref="ArgumentException">x is Int32, v's element type differs from f(x)'s, or f returns an Int32 tensor.</exception>
    public static (Tensor Output, Tensor Vjp) Vjp(Func<Tensor, Tensor> f, Tensor x, Tensor v, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        return VectorJacobianProduct(nameof(Vjp), f, x, v, createGraph);
    }

    // Every backward pass here retains the graph: it may run on into the caller's graph (through tensors
    // f closes over), and freeing that would break the caller's own Backward later.
    private static (Tensor Value, Tensor Gradient) ValueAndGradient(string transform, Func<Tensor, Tensor> f, Tensor x, bool createGraph)
    {
        RequireInput(transform, x, nameof(x));
        using var scope = new Scope(transform, [x], createGraph);
        var variable = scope.Variable(x);
        var y = scope.Output(f(variable));
        RequireScalar(transform, y, x.ShapeArray);
        var gradient = y.RequiresGrad
            ? Autograd.Grad([y], [variable], createGraph: scope.KeepGraph, allowUnused: true, retainGraph: true)[0]
            : null;
        return (scope.Result(y), scope.Result(gradient ?? Tensor.ZerosLike(variable)));
    }

    private static Tensor[] GradientsOfArguments(Func<Tensor[], Tensor> f, Tensor[] args, int[] chosen, bool createGraph)
    {
        const string transform = nameof(Grad);
        ArgumentNullException.ThrowIfNull(args);
        foreach (int position in chosen)
        {
            if (position < 0 || position >= args.Length)
                throw new ArgumentException($"Grad: withRespectTo names argument {position}, but the function was called with {args.Length} arguments.", "withRespectTo");
            RequireInput(transform, args[position], $"args[{position}]");
        }
        using var scope = new Scope(transform, chosen.Select(i => args[i]).ToArray(), createGraph);
        var called = (Tensor[])args.Clone();
        var variables = new Tensor[chosen.Length];
        for (int k = 0; k < chosen.Length; k++)
            variables[k] = called[chosen[k]] = scope.Variable(args[chosen[k]]);
        var y = scope.Output(f(called));
        RequireScalar(transform, y, args[chosen[0]].ShapeArray);
        var gradients = y.RequiresGrad
            ? Autograd.Grad([y], variables, createGraph: scope.KeepGraph, allowUnused: true, retainGraph: true)
            : new Tensor?[variables.Length];
        return gradients.Select((g, k) => scope.Result(g ?? Tensor.ZerosLike(variables[k]))).ToArray();
    }

    private static Tensor JacobianOf(string transform, Func<Tensor, Tensor> f, Tensor x, bool createGraph)
    {
        RequireInput(transform, x, nameof(x));
        using var scope = new Scope(transform, [x], createGraph);
        var variable = scope.Variable(x);
        var y = scope.Output(f(variable));
        int[] shape = [.. y.ShapeArray, .. x.ShapeArray];
        int outputs = y.Length, inputs = x.Length;
        if (!y.RequiresGrad || outputs == 0 || inputs == 0) return Tensor.Zeros(shape, x.DType);

        Tensor jacobian;
        if (outputs <= inputs)
        {
            var rows = new Tensor[outputs];
            for (int i = 0; i < outputs; i++)
                rows[i] = Autograd.Grad([y], [variable], [Unit(y.ShapeArray, y.DType, i)],
                    createGraph: scope.KeepGraph, allowUnused: true, retainGraph: true)[0] ?? Tensor.ZerosLike(variable);
            jacobian = Tensor.Stack(rows);
        }
        else
        {
            var transposed = TransposedProduct(y, variable);
            if (transposed is null) return Tensor.Zeros(shape, x.DType);
            var columns = new Tensor[inputs];
            for (int j = 0; j < inputs; j++)
                columns[j] = DirectionalDerivative(transposed.Value, Unit(x.ShapeArray, x.DType, j), scope.KeepGraph);
            jacobian = Tensor.Stack(columns, axis: y.Rank);
        }
        jacobian = jacobian.Reshape(shape);
        return scope.Result(jacobian.DType == x.DType ? jacobian : jacobian.To(x.DType));
    }

    private static (Tensor Output, Tensor Vjp) VectorJacobianProduct(string transform, Func<Tensor, Tensor> f, Tensor x, Tensor v, bool createGraph)
    {
        RequireInput(transform, x, nameof(x));
        ArgumentNullException.ThrowIfNull(v);
        using var scope = new Scope(transform, [x], createGraph);
        var variable = scope.Variable(x);
        var y = scope.Output(f(variable));
        RequireDirection(transform, v, y, "f(x)");
        var product = y.RequiresGrad
            ? Autograd.Grad([y], [variable], [v], createGraph: scope.KeepGraph, allowUnused: true, retainGraph: true)[0]
            : null;
        return (scope.Result(y), scope.Result(product ?? Tensor.ZerosLike(variable)));
    }

    /// <summary>
    /// uᵀ·J as a recorded function of a placeholder u (its value is irrelevant: the product is linear in u),
    /// or null when it does not depend on u, that is when J is zero.
    /// </summary>
    private static (Tensor Product, Tensor Placeholder)? TransposedProduct(Tensor y, Tensor variable)
    {
        if (!y.RequiresGrad) return null;
        var placeholder = Tensor.Zeros(y.ShapeArray, y.DType).RequiresGradient();
        var product = Autograd.Grad([y], [variable], [placeholder], createGraph: true, allowUnused: true, retainGraph: true)[0];
        return product is null || !product.RequiresGrad ? null : (product, placeholder);
    }

    /// <summary>J·v: the derivative of uᵀ·J with respect to u, in direction v.</summary>
    private static Tensor DirectionalDerivative((Tensor Product, Tensor Placeholder) transposed, Tensor v, bool keepGraph)
        => Autograd.Grad([transposed.Product], [transposed.Placeholder], [v], createGraph: keepGraph, allowUnused: true, retainGraph: true)[0]
            ?? Tensor.ZerosLike(transposed.Placeholder);

    /// <summary>Zeros of <paramref name="shape"/> with a one at flat position <paramref name="position"/>.</summary>
    private static Tensor Unit(int[] shape, DType dtype, int position)
    {
        var unit = Tensor.Zeros(shape, dtype);
        if (dtype == DType.Float64) unit.Float64Data[position] = 1;
        else unit.Float32Data[position] = 1;
        return unit;
    }

    private static void RequireInput(string transform, Tensor x, string name)
    {
        if (x is null) throw new ArgumentNullException(name, $"{transform}: {name} is null.");
        if (!x.IsFloatingPoint)
            throw new ArgumentException($"{transform}: {name} (shape {Shapes.Format(x.ShapeArray)}) is Int32, which has no derivatives; convert it with To(DType.Float64) or To(DType.Float32).", name);
    }

    /// <summary>Checks that a direction or cotangent v has the shape and element type of <paramref name="target"/>.</summary>
    private static void RequireDirection(string transform, Tensor v, Tensor target, string targetName)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (!Shapes.SameShape(v.ShapeArray, target.ShapeArray))
            throw new ShapeMismatchException($"{transform}: v has shape {Shapes.Format(v.ShapeArray)} but {targetName} has shape {Shapes.Format(target.ShapeArray)}; v must have the shape of {targetName}.");
        if (v.DType != target.DType)
            throw new ArgumentException($"{transform}: v is {v.DType} but {targetName} is {target.DType}; convert v with To(DType.{target.DType}).", nameof(v));
    }

    private static void RequireScalar(string transform, Tensor y, int[] xShape)
    {
        if (y.Length != 1)
            throw new ArgumentException($"{transform}: f must return a scalar (one element) to have a gradient, but f(x) has shape {Shapes.Format(y.ShapeArray)} ({y.Length} elements) for x of shape {Shapes.Format(xShape)}; reduce it (Sum, Mean) or use Jacobian or Vjp for a vector-valued f.", "f");
    }

    /// <summary>
    /// One transform's run: decides whether its results stay connected to the arguments, records gradients
    /// even inside NoGrad, and marks the flow as inside a transform while it lasts.
    /// </summary>
    private sealed class Scope : IDisposable
    {
        private readonly string _transform;
        private Autograd.EnableGradScope _recording;
        private bool _disposed;

        public Scope(string transform, Tensor[] arguments, bool createGraph)
        {
            _transform = transform;
            KeepGraph = createGraph || (s_depth.Value > 0 && arguments.Any(a => a.RequiresGrad));
            s_depth.Value++;
            _recording = Autograd.EnableGrad();
        }

        /// <summary>Whether the results stay differentiable with respect to the arguments.</summary>
        public bool KeepGraph { get; }

        /// <summary>
        /// What f is called with: the argument itself when the results must stay connected to it (it then
        /// requires gradients, and <see cref="Autograd.Grad(Tensor[], Tensor[], Tensor[], bool, bool, bool?)"/>
        /// leaves its <see cref="Tensor.Grad"/> alone); otherwise a detached view that requires gradients.
        /// </summary>
        public Tensor Variable(Tensor x) => KeepGraph && x.RequiresGrad ? x : x.Detach().RequiresGradient();

        /// <summary>Checks what f returned.</summary>
        public Tensor Output(Tensor? y)
        {
            if (y is null) throw new InvalidOperationException($"{_transform}: f returned null instead of a tensor.");
            if (!y.IsFloatingPoint)
                throw new ArgumentException($"{_transform}: f returned an Int32 tensor (shape {Shapes.Format(y.ShapeArray)}), which has no derivatives; f must return Float32 or Float64.", "f");
            return y;
        }

        public Tensor Result(Tensor t) => KeepGraph ? t : t.Detach();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _recording.Dispose();
            s_depth.Value--;
        }
    }
}
