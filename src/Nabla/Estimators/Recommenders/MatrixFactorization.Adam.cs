using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Estimators;

// Adam over mini-batches for MatrixFactorization: each batch's gradient computed by hand in one pass
// (no autograd graph), then torch.optim.Adam's dense step over the whole tables (EmbeddingAdam).
public sealed partial class MatrixFactorization
{
    /// <summary>
    /// Adam: from the drawn factors (or <paramref name="start"/>'s), each epoch, the ratings in a fresh
    /// seeded order (or <paramref name="start"/>'s order for that epoch) cut into batches of
    /// <see cref="BatchSize"/>; for each batch B, the gradient of its mean loss
    /// (1/|B|) Σ_B [(r − r̂)² + α(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²)] accumulated into the rows it
    /// touches, then one step of Adam (β₁ 0.9, β₂ 0.999, ε 10⁻⁸) over the whole factor and bias
    /// tables (<see cref="EmbeddingAdam"/>).
    /// </summary>
    /// <remarks>
    /// The step is dense, as <c>torch.optim.Adam</c>'s over <c>nn.Embedding</c> tables: every row's
    /// moments decay, and every row moves by its momentum, at every step, with a zero gradient where
    /// the batch does not touch it. A lazy form that moved a row only when a batch touches it could
    /// not give the same result: the skipped steps add up to Σₙ lrₜ·β₁ⁿ·m / (√(β₂ⁿ·v)/√(1 − β₂ᵗ) + ε),
    /// which, with ε in the denominator, has no closed form; summed term by term it costs what the
    /// dense steps cost. So a step costs (users + items)·(k + 1) element updates whatever the batch
    /// size (vectorised, cheaper for untouched rows, and split over threads); for a catalogue of
    /// hundreds of thousands of rows, ALS or SGD are the cheaper solvers.
    /// </remarks>
    private void FitAdam(int[] u, int[] i, double[] r, Generator generator, FixedStart? start)
    {
        start?.Apply(_userFactors, _itemFactors);
        int k = NFactors, users = _userBias.Length, items = _itemBias.Length;
        var gradients = new AdamGradients(new double[users * k], new double[items * k], new double[users], new double[items]);
        var adam = UseBiases
            ? new EmbeddingAdam(LearningRate, (_userFactors, gradients.UserFactors), (_itemFactors, gradients.ItemFactors),
                (_userBias, gradients.UserBias), (_itemBias, gradients.ItemBias))
            : new EmbeddingAdam(LearningRate, (_userFactors, gradients.UserFactors), (_itemFactors, gradients.ItemFactors));
        var order = new int[r.Length];
        for (int n = 0; n < order.Length; n++) order[n] = n;
        for (int epoch = 0; epoch < MaxIter; epoch++)
        {
            if (start is null) generator.Shuffle<int>(order);
            else start.Orders[epoch].CopyTo(order, 0);
            for (int first = 0; first < order.Length; first += BatchSize)
            {
                var batch = order.AsSpan(first, Math.Min(BatchSize, order.Length - first));
                AccumulateGradients(batch, u, i, r, gradients);
                adam.Step();
            }
            EndEpoch(TrainingRmse(u, i, r, epoch));
        }
    }

    /// <summary>The gradient tables: zero, but in the rows of the batch being stepped (<see cref="EmbeddingAdam.Step"/> zeroes them).</summary>
    private sealed record AdamGradients(double[] UserFactors, double[] ItemFactors, double[] UserBias, double[] ItemBias);

    /// <summary>
    /// Adds the batch's gradient: for each rating, with e = (2/|B|)(r̂ − r) and d = (2/|B|)α,
    /// ∂/∂p_u += e·q_i + d·p_u, ∂/∂q_i += e·p_u + d·q_i, ∂/∂b_u += e + d·b_u, ∂/∂b_i += e + d·b_i,
    /// all from the parameters before the step, in batch order.
    /// </summary>
    private void AccumulateGradients(ReadOnlySpan<int> batch, int[] u, int[] i, double[] r, AdamGradients gradients)
    {
        int k = NFactors;
        double scale = 2.0 / batch.Length, decay = scale * Alpha;
        ref double userFactors = ref MemoryMarshal.GetArrayDataReference(_userFactors);
        ref double itemFactors = ref MemoryMarshal.GetArrayDataReference(_itemFactors);
        ref double userGradients = ref MemoryMarshal.GetArrayDataReference(gradients.UserFactors);
        ref double itemGradients = ref MemoryMarshal.GetArrayDataReference(gradients.ItemFactors);
        foreach (int n in batch)
        {
            int user = u[n], item = i[n];
            // The rows are read through references: user and item are rows of these tables by construction.
            ref double p = ref Unsafe.Add(ref userFactors, user * k);
            ref double q = ref Unsafe.Add(ref itemFactors, item * k);
            double estimate = GlobalMean + _userBias[user] + _itemBias[item] + ShortDot.Dot(ref p, ref q, k);
            double error = scale * (estimate - r[n]);
            AddRowGradients(ref Unsafe.Add(ref userGradients, user * k), ref Unsafe.Add(ref itemGradients, item * k), ref p, ref q, k, error, decay);
            if (UseBiases)
            {
                gradients.UserBias[user] += error + decay * _userBias[user];
                gradients.ItemBias[item] += error + decay * _itemBias[item];
            }
        }
    }

    /// <summary>
    /// ∂p += e·q + d·p and ∂q += e·p + d·q over the k factors in one pass: vector lanes of fused
    /// multiply-adds, then the scalar tail (all scalar without vector hardware). Four library calls
    /// per rating cost more than the arithmetic at k = 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowGradients(ref double userGradient, ref double itemGradient, ref double p, ref double q, int k, double e, double d)
    {
        int f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> error = new(e), decay = new(d);
            for (; f <= k - Vector<double>.Count; f += Vector<double>.Count)
            {
                var pf = Vector.LoadUnsafe(ref p, (nuint)f);
                var qf = Vector.LoadUnsafe(ref q, (nuint)f);
                Vector.FusedMultiplyAdd(error, qf, Vector.FusedMultiplyAdd(decay, pf, Vector.LoadUnsafe(ref userGradient, (nuint)f))).StoreUnsafe(ref userGradient, (nuint)f);
                Vector.FusedMultiplyAdd(error, pf, Vector.FusedMultiplyAdd(decay, qf, Vector.LoadUnsafe(ref itemGradient, (nuint)f))).StoreUnsafe(ref itemGradient, (nuint)f);
            }
        }
        for (; f < k; f++)
        {
            double pf = Unsafe.Add(ref p, f), qf = Unsafe.Add(ref q, f);
            Unsafe.Add(ref userGradient, f) += e * qf + d * pf;
            Unsafe.Add(ref itemGradient, f) += e * pf + d * qf;
        }
    }

    /// <summary>
    /// Initial factors (rows in the order of first appearance in the data) and each epoch's order of
    /// the ratings, given to Adam instead of drawn, for a test to train from the same point in the
    /// same order as a reference implementation.
    /// </summary>
    /// <param name="UserFactors">users × k values.</param>
    /// <param name="ItemFactors">items × k values.</param>
    /// <param name="Orders">For each epoch, a permutation of the rating positions.</param>
    internal sealed record FixedStart(double[] UserFactors, double[] ItemFactors, IReadOnlyList<int[]> Orders)
    {
        /// <summary>Copies the initial factors over the drawn ones.</summary>
        /// <exception cref="ArgumentException">A table's length differs from the model's.</exception>
        public void Apply(double[] userFactors, double[] itemFactors)
        {
            if (UserFactors.Length != userFactors.Length || ItemFactors.Length != itemFactors.Length)
                throw new ArgumentException($"FixedStart: the model needs {userFactors.Length} user and {itemFactors.Length} item factor values, got {UserFactors.Length} and {ItemFactors.Length}.");
            UserFactors.CopyTo(userFactors, 0);
            ItemFactors.CopyTo(itemFactors, 0);
        }
    }
}
