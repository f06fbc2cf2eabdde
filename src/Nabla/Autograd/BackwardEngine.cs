namespace Nabla;

/// <summary>
/// The reverse-mode walk: orders the graph's tensors topologically from the outputs, then visits
/// them once in reverse, handing each node the total gradient of its output and routing the
/// gradients it returns to its inputs.
/// </summary>
internal static class BackwardEngine
{
    private static int s_stamp;

    /// <summary>Whether the pass running on this thread adds into leaves' <see cref="Tensor.Grad"/> (a plain <c>Backward()</c>).</summary>
    [ThreadStatic]
    private static bool t_intoLeafGrads;

    /// <summary>
    /// Propagates <paramref name="gradOutputs"/> from <paramref name="outputs"/> through the graph.
    /// With <paramref name="captureFor"/> null, gradients accumulate into leaves' <see cref="Tensor.Grad"/>;
    /// otherwise the gradients of exactly those tensors are returned and no <c>Grad</c> is touched.
    /// </summary>
    public static Tensor?[]? Run(Tensor[] outputs, Tensor[] gradOutputs, bool retainGraph, bool createGraph, Tensor[]? captureFor)
    {
        int stamp = Interlocked.Increment(ref s_stamp);
        var order = TopologicalOrder(outputs, stamp);
        var captured = captureFor is null ? null : new Tensor?[captureFor.Length];
        bool outerIntoLeafGrads = t_intoLeafGrads;
        t_intoLeafGrads = captureFor is null && !createGraph;
        if (!createGraph) GradMode.Disable();
        try
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                if (outputs[i].GradFn is null) Deliver(outputs[i], gradOutputs[i], captureFor, captured, createGraph);
                else Accumulate(ref outputs[i].PendingGrad, gradOutputs[i]);
            }

            for (int i = order.Count - 1; i >= 0; i--)
            {
                var tensor = order[i];
                var grad = tensor.PendingGrad;
                tensor.PendingGrad = null;
                if (grad is null) continue;
                if (captureFor is not null) Capture(tensor, grad, captureFor, captured!);

                var node = tensor.GradFn!;
                if (node.IsReleased)
                    throw new InvalidOperationException($"Backward: the graph through {node.Op} was already freed by an earlier backward pass. Pass retainGraph: true to the first Backward (or Autograd.Grad) call to go through it twice.");
                var inputGrads = node.Backward(grad);
                var inputs = node.Inputs;
                for (int k = 0; k < inputs.Length; k++)
                {
                    var g = inputGrads[k];
                    var input = inputs[k];
                    if (g is null || !input.RequiresGrad) continue;
                    if (input.GradFn is not null) Accumulate(ref input.PendingGrad, g);
                    else Deliver(input, g, captureFor, captured, createGraph);
                }
                if (!retainGraph) node.Release();
            }
        }
        finally
        {
            t_intoLeafGrads = outerIntoLeafGrads;
            if (!createGraph) GradMode.Restore();
            foreach (var tensor in order) tensor.PendingGrad = null;
        }
        return captured;
    }

    /// <summary>The engine's side of <see cref="Graph.LeafGradTarget"/>, where the rule is documented.</summary>
    public static Tensor? LeafGradTarget(Tensor input, out bool overwrite)
    {
        overwrite = false;
        if (!t_intoLeafGrads || input.GradFn is not null || !input.RequiresGrad) return null;
        if (input.TakeGradForOverwrite() is { } zeroed)
        {
            if (Fits(zeroed, input))
            {
                overwrite = true;
                return zeroed;
            }
            // Not a tensor this rule can write into: the zeros the caller asked for are due after all.
            zeroed.Fill(0);
            return null;
        }
        var grad = input.Grad;
        if (grad is null)
        {
            overwrite = true;
            return input.Grad = Tensor.Uninitialized(input.ShapeArray, input.DType);
        }
        return Fits(grad, input) ? grad : null;
    }

    /// <summary>Whether a leaf's stored gradient can be updated in place by a plain pass: unrecorded, of the leaf's type and shape.</summary>
    private static bool Fits(Tensor grad, Tensor leaf) =>
        !grad.RequiresGrad && grad.DType == leaf.DType && Shapes.SameShape(grad.ShapeArray, leaf.ShapeArray);

    /// <summary>Hands a leaf its gradient: into the capture slot, or added to its <c>Grad</c>.</summary>
    private static void Deliver(Tensor leaf, Tensor grad, Tensor[]? captureFor, Tensor?[]? captured, bool createGraph)
    {
        if (captureFor is not null)
        {
            Capture(leaf, grad, captureFor, captured!);
            return;
        }
        if (!leaf.RequiresGrad) return;
        if (!createGraph && leaf.TakeGradForOverwrite() is { } zeroed)
        {
            // Zeroed in place since the last pass: the gradient is copied in, not added onto zeros.
            if (Fits(zeroed, leaf) && Shapes.SameShape(grad.ShapeArray, leaf.ShapeArray) && grad.DType == leaf.DType)
            {
                grad.Storage.CopyTo(zeroed.Storage, 0);
                return;
            }
            zeroed.Fill(0);
        }
        if (leaf.Grad is null)
        {
            // The rule may return a tensor that is shared elsewhere (Add passes its gradient through),
            // so the stored gradient is a copy the caller may update in place.
            leaf.Grad = createGraph ? grad : grad.Clone();
        }
        else if (createGraph || leaf.Grad.RequiresGrad)
        {
            leaf.Grad = leaf.Grad + grad;
        }
        else
        {
            ElementwiseDispatch.AddInPlace(leaf.Grad, grad);
        }
    }

    private static void Capture(Tensor tensor, Tensor grad, Tensor[] captureFor, Tensor?[] captured)
    {
        for (int i = 0; i < captureFor.Length; i++)
            if (ReferenceEquals(captureFor[i], tensor))
                captured[i] = captured[i] is null ? grad : captured[i]! + grad;
    }

    private static void Accumulate(ref Tensor? pending, Tensor grad) => pending = pending is null ? grad : pending + grad;

    /// <summary>Post-order of the non-leaf tensors reachable from the outputs (iterative: chains can be long).</summary>
    private static List<Tensor> TopologicalOrder(Tensor[] outputs, int stamp)
    {
        var order = new List<Tensor>();
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        foreach (var output in outputs)
        {
            if (output.GradFn is null || output.VisitStamp == stamp) continue;
            output.VisitStamp = stamp;
            stack.Push((output, 0));
            while (stack.Count > 0)
            {
                var (tensor, next) = stack.Pop();
                var inputs = tensor.GradFn!.Inputs;
                if (next < inputs.Length)
                {
                    stack.Push((tensor, next + 1));
                    var input = inputs[next];
                    if (input.GradFn is not null && input.VisitStamp != stamp)
                    {
                        input.VisitStamp = stamp;
                        stack.Push((input, 0));
                    }
                }
                else
                {
                    order.Add(tensor);
                }
            }
        }
        return order;
    }
}
