using System.Collections.ObjectModel;

namespace Nabla;

/// <summary>
/// An n-dimensional array of <see cref="DType.Float32"/>, <see cref="DType.Float64"/> or
/// <see cref="DType.Int32"/> values in row-major, contiguous storage, which records the operations
/// applied to it when it <see cref="RequiresGrad"/>, so that <see cref="Backward(bool, bool)"/> can compute
/// gradients by reverse-mode automatic differentiation.
/// </summary>
/// <example>
/// <code>
/// var w = Tensor.FromArray(new[] { 1f, 2f }).RequiresGradient();
/// var loss = (w * w).Sum();
/// loss.Backward();          // w.Grad is [2, 4]
/// </code>
/// </example>
[TypeFormatterSource(typeof(TensorNotebookFormatterSource), PreferredMimeTypes = new[] { TensorNotebookFormatter.Html, TensorNotebookFormatter.PlainText })]
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private bool _requiresGrad;
    private ReadOnlyCollection<int>? _shapeView;
    private Tensor? _grad;
    private bool _gradZeroPending;

    /// <summary>The elements: a <c>float[]</c>, <c>double[]</c> or <c>int[]</c> of exactly <see cref="Length"/> items.</summary>
    internal readonly Array Storage;

    /// <summary>The node that produced this tensor, when it was computed from tensors that require gradients.</summary>
    internal Node? GradFn;

    /// <summary>Gradient flowing into this tensor during one backward pass; cleared when the pass ends.</summary>
    internal Tensor? PendingGrad;

    /// <summary>The backward pass that last visited this tensor (for the topological walk).</summary>
    internal int VisitStamp;

    /// <summary>Wraps storage without copying; <paramref name="shape"/> must not be changed afterwards.</summary>
    internal Tensor(Array storage, int[] shape, DType dtype)
    {
        Storage = storage;
        _shape = shape;
        DType = dtype;
        Length = storage.Length;
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension, outermost first; empty for a scalar (rank-0) tensor.</summary>
    public IReadOnlyList<int> Shape => _shapeView ??= Array.AsReadOnly(_shape);

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions).</summary>
    public int Length { get; }

    /// <summary>The size of one dimension; a negative axis counts from the end.</summary>
    public int Size(int axis) => _shape[Shapes.NormalizeAxis(axis, Rank, nameof(Size))];

    /// <summary>The shape array itself, for internal code that promises not to modify it.</summary>
    internal int[] ShapeArray => _shape;

    /// <summary>Whether this tensor is floating point (Float32 or Float64).</summary>
    public bool IsFloatingPoint => DType != DType.Int32;

    /// <summary>
    /// Whether operations on this tensor are recorded so gradients can flow back to it. Setting it
    /// is allowed on leaf tensors of a floating-point type only.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is Int32, or is not a leaf.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value && DType == DType.Int32)
                throw new InvalidOperationException("Only floating-point tensors can require gradients; this tensor is Int32 (labels and indices). Convert it with To(DType.Float32) first.");
            if (GradFn is not null && !value)
                throw new InvalidOperationException("RequiresGrad can only be cleared on a leaf tensor; use Detach() to get a tensor outside the graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent creation.</summary>
    public Tensor RequiresGradient(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// The gradient accumulated into this leaf tensor by <see cref="Backward(bool, bool)"/>; null until a
    /// backward pass reaches it. Successive passes add to it; set it to null (or call
    /// <c>ZeroGrad</c> on an optimizer) to start again.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            if (_gradZeroPending)
            {
                _gradZeroPending = false;
                _grad!.Fill(0);
            }
            return _grad;
        }
        set
        {
            _grad = value;
            _gradZeroPending = false;
        }
    }

    /// <summary>
    /// Zeroes <see cref="Grad"/> in place, lazily: the zeros are written only if the gradient is read
    /// before a backward pass overwrites it whole (<see cref="TakeGradForOverwrite"/>), so the usual
    /// step (zero, backward, update) writes each gradient once instead of twice.
    /// </summary>
    internal void ZeroGradInPlace()
    {
        if (_grad is null) return;
        if (_grad.RequiresGrad) _grad.Fill(0);
        else _gradZeroPending = true;
    }

    /// <summary>
    /// The gradient tensor when it is due to be zeroed (<see cref="ZeroGradInPlace"/>), handed over
    /// without the zeros for a caller that writes every element; null otherwise.
    /// </summary>
    internal Tensor? TakeGradForOverwrite()
    {
        if (!_gradZeroPending) return null;
        _gradZeroPending = false;
        return _grad;
    }

    /// <summary>Whether this tensor was created by the user rather than computed by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The name of the op that produced this tensor in the graph, or null for a leaf.</summary>
    public string? GradFnName => GradFn?.Op;

    /// <summary>Marks the result of an op as part of the graph (set only by the autograd engine).</summary>
    internal void AttachGradFn(Node node)
    {
        GradFn = node;
        _requiresGrad = true;
    }

    internal float[] Float32Data => (float[])Storage;
    internal double[] Float64Data => (double[])Storage;
    internal int[] Int32Data => (int[])Storage;

    internal Span<T> Span<T>() => ((T[])Storage).AsSpan();

    /// <summary>Throws a clear error when an op that needs floating-point values gets an Int32 tensor.</summary>
    internal void RequireFloatingPoint(string op)
    {
        if (DType == DType.Int32)
            throw new ArgumentException($"{op}: expected a floating-point tensor, got Int32 (Int32 holds labels and indices). Convert it with To(DType.Float32) first.");
    }

    /// <summary>A tensor sharing this one's storage, outside the autograd graph.</summary>
    public Tensor Detach() => new(Storage, _shape, DType);
}
