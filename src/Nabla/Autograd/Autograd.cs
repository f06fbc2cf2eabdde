namespace Nabla;

/// <summary>Entry points of reverse-mode automatic differentiation that do not belong to one tensor.</summary>
public static class Autograd
{
    /// <summary>Whether ops record the graph here (false inside a <see cref="NoGrad"/> scope).</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Turns recording off until the returned scope is disposed, for inference and for updates to
    /// parameters: <c>using (Autograd.NoGrad()) { ... }</c>. Scopes nest. The setting belongs to the
    /// current flow of execution, as an <see cref="AsyncLocal{T}"/>: it holds across <c>await</c>s and
    /// in tasks started inside the scope, and never changes what other threads see.
    /// </summary>
    public static NoGradScope NoGrad()
    {
        GradMode.Disable();
        return new NoGradScope();
    }

    /// <summary>Ends a <see cref="NoGrad"/> scope when disposed.</summary>
    public struct NoGradScope : IDisposable
    {
        private bool _disposed;

        /// <summary>Restores recording as it was before the scope began.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            GradMode.Restore();
        }
    }

    /// <summary>
    /// Turns recording on until the returned scope is disposed, whatever <see cref="NoGrad"/> scopes
    /// surround it, as PyTorch's <c>torch.enable_grad()</c>: for code that must differentiate (a
    /// closure that re-evaluates a loss, a functional transform) even when its caller is not recording.
    /// On disposal the surrounding scopes apply again.
    /// </summary>
    public static EnableGradScope EnableGrad() => new(GradMode.EnableAll());

    /// <summary>Ends an <see cref="EnableGrad"/> scope when disposed.</summary>
    public struct EnableGradScope : IDisposable
    {
        private readonly int _surroundingDepth;
        private bool _disposed;

        internal EnableGradScope(int surroundingDepth) => _surroundingDepth = surroundingDepth;

        /// <summary>Puts back the recording setting of the surrounding scopes.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            GradMode.Reinstate(_surroundingDepth);
        }
    }

    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
    /// returned rather than accumulated into <see cref="Tensor.Grad"/>, as <c>torch.autograd.grad</c>.
    /// </summary>
    /// <param name="outputs">The tensors to differentiate; scalars unless <paramref name="gradOutputs"/> is given.</param>
    /// <param name="inputs">The tensors to differentiate with respect to; each must require gradients.</param>
    /// <param name="gradOutputs">The vector in the vector-Jacobian product, one per output (ones for scalars when null).</param>
    /// <param name="createGraph">Record the backward pass too, so the gradients can be differentiated again (Hessians).</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on, instead of throwing.</param>
    /// <param name="retainGraph">Keep the graph for another pass; defaults to <paramref name="createGraph"/>.</param>
    /// <returns>One gradient per input, shaped like it (null only for unused inputs with <paramref name="allowUnused"/>).</returns>
    /// <exception cref="ArgumentException">An input does not require gradients, or is unused without <paramref name="allowUnused"/>.</exception>
    /// <exception cref="ShapeMismatchException">A gradient output's shape differs from its output's.</exception>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor[]? gradOutputs = null,
        bool createGraph = false, bool allowUnused = false, bool? retainGraph = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (!inputs[i].RequiresGrad)
                throw new ArgumentException($"Grad: inputs[{i}] (shape {Shapes.Format(inputs[i].ShapeArray)}) does not require gradients; set RequiresGrad = true before computing the outputs from it.", nameof(inputs));
        var seeds = SeedGradients(outputs, gradOutputs, "Grad");
        var grads = BackwardEngine.Run(outputs, seeds, retainGraph ?? createGraph, createGraph, inputs)!;
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is null && !allowUnused)
                throw new ArgumentException($"Grad: inputs[{i}] (shape {Shapes.Format(inputs[i].ShapeArray)}) was not used to compute the outputs; pass allowUnused: true to get null for it.", nameof(inputs));
        }
        return grads;
    }

    /// <summary>The gradient of one output with respect to one input; see <see cref="Grad(Tensor[], Tensor[], Tensor[], bool, bool, bool?)"/>.</summary>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool createGraph = false, bool? retainGraph = null)
        => Grad([output], [input], gradOutput is null ? null : [gradOutput], createGraph, false, retainGraph)[0]!;

    /// <summary>Checks the outputs and builds the seed gradients: given ones, or 1 for each scalar output.</summary>
    internal static Tensor[] SeedGradients(Tensor[] outputs, Tensor[]? gradOutputs, string op)
    {
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new ArgumentException($"{op}: {outputs.Length} outputs but {gradOutputs.Length} gradient outputs.", nameof(gradOutputs));
        var seeds = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var output = outputs[i];
            if (!output.RequiresGrad)
                throw new InvalidOperationException($"{op}: output {i} (shape {Shapes.Format(output.ShapeArray)}) does not require gradients and has no graph: no input that requires gradients was used to compute it (or it was computed inside Autograd.NoGrad()).");
            var seed = gradOutputs?[i];
            if (seed is null)
            {
                if (output.Length != 1)
                    throw new InvalidOperationException($"{op}: a gradient can be created implicitly only for a scalar output, but output {i} has shape {Shapes.Format(output.ShapeArray)}; pass a gradient output of that shape.");
                seed = Tensor.OnesLike(output);
            }
            else
            {
                if (!Shapes.SameShape(seed.ShapeArray, output.ShapeArray))
                    throw new ShapeMismatchException($"{op}: gradient output {i} has shape {Shapes.Format(seed.ShapeArray)} but the output has shape {Shapes.Format(output.ShapeArray)}.");
                if (seed.DType != output.DType)
                    throw new ArgumentException($"{op}: gradient output {i} is {seed.DType} but the output is {output.DType}.");
            }
            seeds[i] = seed;
        }
        return seeds;
    }
}
