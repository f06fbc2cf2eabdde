using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// <c>torch.optim.Adam</c> (β₁ 0.9, β₂ 0.999, ε 10⁻⁸, no weight decay) over embedding tables whose
/// gradient is non-zero in a few rows each step. The step is dense, as PyTorch's over
/// <c>nn.Embedding</c> tables: every element's moments decay and every element moves, every step.
/// It is cheaper where the gradient is zero, and it zeroes the gradient as it reads it.
/// </summary>
/// <remarks>
/// <para>
/// PyTorch's step t, per element with gradient g:
/// <code>
/// m = β₁·m + (1 − β₁)·g
/// v = β₂·v + (1 − β₂)·g²
/// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Here the state is m and s = √v, and the last line is p = p − c·m / (s + ε′) with
/// c = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and ε′ = ε·√(1 − β₂ᵗ): the same quantity, with one division instead
/// of two. Where g = 0 (a row the batch did not touch) s = √β₂·s, a multiplication instead of a
/// square root, and the gradient is not written. The results equal PyTorch's up to rounding:
/// MatrixFactorizationAdamTests holds whole trajectories to PyTorch's within 10⁻¹⁰,
/// EmbeddingAdamTests 300 steps to the formula above within 10⁻¹³.
/// </para>
/// <para>
/// Vector chunks whose gradient is all zero take the short path; the scalar tail decides element by
/// element. Tables of 131,072 values or more in all are cut into fixed pieces of
/// <see cref="PieceLength"/> elements, run in parallel: each element's update reads only that
/// element, so any thread count gives the same bits.
/// </para>
/// </remarks>
internal sealed class EmbeddingAdam
{
    /// <summary>Adam's decay rates and the denominator's ε, PyTorch's defaults.</summary>
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>Elements per piece of the parallel step.</summary>
    internal const int PieceLength = 8192;

    // One unit of work per element updated: a step over tables of fewer than
    // Parallelism.MinParallelWork elements runs on the caller's thread. Split over threads, the
    // tables of a small model (the anchor's 99,000 values) end up in two cores' caches, and the batch
    // gradient that follows, on one thread, then fetches its rows from the other core's: measured,
    // two threads took a third longer than one there.
    private const long WorkPerElement = 1;

    private readonly Table[] _tables;
    private readonly (int Table, int Start)[] _pieces;
    private readonly Action<int> _runPiece;
    private readonly double _learningRate;
    private long _steps;
    private double _scale, _epsilon;

    /// <summary>An optimizer over <paramref name="tables"/>: each one's values (updated in place) and their gradient (read and zeroed by <see cref="Step"/>).</summary>
    /// <exception cref="ArgumentException">A table's gradient differs from its values in length.</exception>
    public EmbeddingAdam(double learningRate, params (double[] Values, double[] Gradient)[] tables)
    {
        _learningRate = learningRate;
        _tables = new Table[tables.Length];
        var pieces = new List<(int, int)>();
        for (int t = 0; t < tables.Length; t++)
        {
            var (values, gradient) = tables[t];
            if (gradient.Length != values.Length)
                throw new ArgumentException($"EmbeddingAdam: table {t} has {values.Length} values but {gradient.Length} gradient values.", nameof(tables));
            _tables[t] = new Table(values, gradient, new double[values.Length], new double[values.Length]);
            for (int start = 0; start < values.Length; start += PieceLength) pieces.Add((t, start));
        }
        _pieces = [.. pieces];
        _runPiece = RunPiece;
    }

    /// <summary>One step of every element of every table from its gradient, which is left zero.</summary>
    public void Step()
    {
        _steps++;
        double root2 = Math.Sqrt(1 - Math.Pow(Beta2, _steps));
        _scale = _learningRate * root2 / (1 - Math.Pow(Beta1, _steps));
        _epsilon = Epsilon * root2;
        Parallelism.For(_pieces.Length, PieceLength * WorkPerElement, _runPiece);
    }

    private void RunPiece(int piece)
    {
        var (t, start) = _pieces[piece];
        var table = _tables[t];
        int length = Math.Min(PieceLength, table.Values.Length - start);
        Update(table.Values.AsSpan(start, length), table.Gradient.AsSpan(start, length), table.Mean.AsSpan(start, length),
            table.Root.AsSpan(start, length), _scale, _epsilon);
    }

    /// <summary>
    /// The step of the elements of one piece: values p, gradient g (zeroed where it was not), first
    /// moment m and root second moment s, with this step's c (<paramref name="scale"/>) and ε′.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    internal static void Update(Span<double> p, Span<double> g, Span<double> m, Span<double> s, double scale, double epsilon)
    {
        if (g.Length != p.Length || m.Length != p.Length || s.Length != p.Length)
            throw new ArgumentException($"EmbeddingAdam.Update: {p.Length} values but {g.Length} gradient, {m.Length} m and {s.Length} s values.");
        const double rest1 = 1 - Beta1, rest2 = 1 - Beta2;
        double decay2 = Math.Sqrt(Beta2);
        // Read and written through references (the lengths are checked above): the bounds checks of
        // sliced spans cost as much as the arithmetic here.
        ref double values = ref MemoryMarshal.GetReference(p);
        ref double gradient = ref MemoryMarshal.GetReference(g);
        ref double mean = ref MemoryMarshal.GetReference(m);
        ref double root = ref MemoryMarshal.GetReference(s);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> beta1 = new(Beta1), beta2 = new(Beta2), first = new(rest1), second = new(rest2);
            Vector<double> decay = new(decay2), c = new(scale), eps = new(epsilon);
            for (; i <= p.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                nuint at = (nuint)i;
                var gi = Vector.LoadUnsafe(ref gradient, at);
                Vector<double> mi, si;
                if (gi == Vector<double>.Zero)
                {
                    mi = beta1 * Vector.LoadUnsafe(ref mean, at);
                    si = decay * Vector.LoadUnsafe(ref root, at);
                }
                else
                {
                    var previous = Vector.LoadUnsafe(ref root, at);
                    mi = beta1 * Vector.LoadUnsafe(ref mean, at) + first * gi;
                    si = Vector.SquareRoot(beta2 * (previous * previous) + second * (gi * gi));
                    Vector<double>.Zero.StoreUnsafe(ref gradient, at);
                }
                (Vector.LoadUnsafe(ref values, at) - c * mi / (si + eps)).StoreUnsafe(ref values, at);
                mi.StoreUnsafe(ref mean, at);
                si.StoreUnsafe(ref root, at);
            }
        }
        for (; i < p.Length; i++)
        {
            if (g[i] == 0)
            {
                m[i] *= Beta1;
                s[i] *= decay2;
            }
            else
            {
                m[i] = Beta1 * m[i] + rest1 * g[i];
                s[i] = Math.Sqrt(Beta2 * (s[i] * s[i]) + rest2 * (g[i] * g[i]));
                g[i] = 0;
            }
            p[i] -= scale * m[i] / (s[i] + epsilon);
        }
    }

    /// <summary>One table: its values, their gradient, m and s.</summary>
    private sealed record Table(double[] Values, double[] Gradient, double[] Mean, double[] Root);
}
