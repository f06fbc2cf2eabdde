namespace Nabla.Optim;

// TensorFlow's optimizer.apply_gradients(zip(grads, vars)), for gradients from a GradientTape.
public abstract partial class Optimizer
{
    /// <summary>
    /// Takes one step with the given gradients, as TensorFlow's <c>optimizer.apply_gradients(zip(grads, vars))</c>:
    /// each listed parameter is updated from its gradient as <see cref="Step"/> would update it from
    /// <see cref="Tensor.Grad"/>; a null gradient means "no gradient for this parameter" and skips it,
    /// as do this optimizer's parameters that are not listed.
    /// </summary>
    /// <remarks>
    /// The parameters' <see cref="Tensor.Grad"/> is left as it was: the gradients are used for this step only.
    /// <code>
    /// using var tape = new GradientTape();
    /// var loss = (x.MatMul(w) + b - y).Square().Mean();
    /// optimizer.ApplyGradients(tape.Gradient(loss, [w, b]), [w, b]);
    /// </code>
    /// </remarks>
    /// <param name="gradients">One gradient per parameter, in the same order; null entries are skipped.</param>
    /// <param name="parameters">Parameters of this optimizer (those it was created with), each at most once.</param>
    /// <exception cref="ArgumentException">The lists differ in length, a parameter is not this optimizer's or is listed twice, a gradient's type differs from its parameter's, or every gradient is null.</exception>
    /// <exception cref="ShapeMismatchException">A gradient's shape differs from its parameter's.</exception>
    /// <exception cref="NotSupportedException">The optimizer needs the loss itself (<see cref="Lbfgs"/>).</exception>
    public void ApplyGradients(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(parameters);
        if (gradients.Count != parameters.Count)
            throw new ArgumentException($"ApplyGradients: got {gradients.Count} gradient(s) for {parameters.Count} parameter(s); pass one gradient per parameter, in the same order.", nameof(gradients));
        ApplyGradients(gradients.Zip(parameters));
    }

    /// <summary>
    /// Takes one step with the given (gradient, parameter) pairs, as TensorFlow's
    /// <c>optimizer.apply_gradients(zip(grads, vars))</c>; see <see cref="ApplyGradients(IReadOnlyList{Tensor?}, IReadOnlyList{Tensor})"/>.
    /// </summary>
    /// <param name="gradientsAndParameters">Pairs of a gradient (null: skip this parameter) and a parameter of this optimizer, e.g. <c>grads.Zip(parameters)</c>.</param>
    /// <exception cref="ArgumentException">A parameter is not this optimizer's or is listed twice, a gradient's type differs from its parameter's, or every gradient is null.</exception>
    /// <exception cref="ShapeMismatchException">A gradient's shape differs from its parameter's.</exception>
    /// <exception cref="NotSupportedException">The optimizer needs the loss itself (<see cref="Lbfgs"/>).</exception>
    public void ApplyGradients(IEnumerable<(Tensor? Gradient, Tensor Parameter)> gradientsAndParameters)
    {
        ArgumentNullException.ThrowIfNull(gradientsAndParameters);
        var given = GradientsByParameter(gradientsAndParameters);
        var saved = _parameters.Select(p => p.Grad).ToArray();
        try
        {
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].Grad = given[i];
            Step();
        }
        finally
        {
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].Grad = saved[i];
        }
    }

    /// <summary>The given gradient of each of this optimizer's parameters (null where none), every pair checked before any step.</summary>
    private Tensor?[] GradientsByParameter(IEnumerable<(Tensor? Gradient, Tensor Parameter)> pairs)
    {
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++) index[_parameters[i]] = i;
        var given = new Tensor?[_parameters.Length];
        var listed = new bool[_parameters.Length];
        int pair = 0, withGradient = 0;
        foreach (var (gradient, parameter) in pairs)
        {
            if (parameter is null) throw new ArgumentNullException("gradientsAndParameters", $"ApplyGradients: pair {pair} has a null parameter.");
            if (!index.TryGetValue(parameter, out int i))
                throw new ArgumentException($"ApplyGradients: pair {pair} names a parameter (shape {Shapes.Format(parameter.ShapeArray)}) that is not one of this {GetType().Name}'s {_parameters.Length} parameter(s); create the optimizer over every tensor it should update.", "gradientsAndParameters");
            if (listed[i]) throw new ArgumentException($"ApplyGradients: pair {pair} lists parameter {i} (shape {Shapes.Format(parameter.ShapeArray)}) a second time; give each parameter one gradient.", "gradientsAndParameters");
            listed[i] = true;
            if (gradient is not null)
            {
                if (!Shapes.SameShape(gradient.ShapeArray, parameter.ShapeArray))
                    throw new ShapeMismatchException($"ApplyGradients: pair {pair}: parameter {i} has shape {Shapes.Format(parameter.ShapeArray)} but its gradient has shape {Shapes.Format(gradient.ShapeArray)}.");
                if (gradient.DType != parameter.DType)
                    throw new ArgumentException($"ApplyGradients: pair {pair}: parameter {i} is {parameter.DType} but its gradient is {gradient.DType}.", "gradientsAndParameters");
                withGradient++;
            }
            given[i] = gradient;
            pair++;
        }
        if (withGradient == 0)
            throw new ArgumentException($"ApplyGradients: no gradient was given for any of the {pair} parameter(s) listed; a null gradient means the loss does not depend on that parameter.", "gradientsAndParameters");
        return given;
    }
}
