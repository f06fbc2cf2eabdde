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
    /// touches (<see cref="BatchGradient"/>), then one step of Adam (β₁ 0.9, β₂ 0.999, ε 10⁻⁸) over the whole factor and bias
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
        var batchGradient = new BatchGradient(this, u, i, r, gradients);
        var order = new int[r.Length];
        for (int n = 0; n < order.Length; n++) order[n] = n;
        for (int epoch = 0; epoch < MaxIter; epoch++)
        {
            if (start is null) generator.Shuffle<int>(order);
            else start.Orders[epoch].CopyTo(order, 0);
            for (int first = 0; first < order.Length; first += BatchSize)
            {
                batchGradient.Add(order, first, Math.Min(BatchSize, order.Length - first));
                adam.Step();
            }
            _lossCurve.Add(TrainingRmse(u, i, r, epoch));
        }
    }

    /// <summary>The gradient tables: zero, but in the rows of the batch being stepped (<see cref="EmbeddingAdam.Step"/> zeroes them).</summary>
    private sealed record AdamGradients(double[] UserFactors, double[] ItemFactors, double[] UserBias, double[] ItemBias);

    /// <summary>
    /// The gradient of one batch's mean loss: with e = (2/|B|)(r̂ − r) and d = (2/|B|)α for each rating,
    /// ∂/∂p_u += e·q_i + d·p_u, ∂/∂b_u += e + d·b_u (the user side) and ∂/∂q_i += e·p_u + d·q_i,
    /// ∂/∂b_i += e + d·b_i (the item side), all from the parameters before the step.
    /// </summary>
    /// <remarks>
    /// The errors come first, then the two sides as two pieces that may run on two threads: each side
    /// adds its terms in batch order, so the result does not depend on the thread count. Kept for the
    /// whole fit, so that a step allocates nothing.
    /// </remarks>
    private sealed class BatchGradient
    {
        private readonly MatrixFactorization _model;
        private readonly int[] _u, _i;
        private readonly double[] _r;
        private readonly AdamGradients _gradients;
        private readonly double[] _errors;
        private readonly Action<int> _side;
        private int[] _batch = [];
        private int _first, _count;
        private double _decay;

        public BatchGradient(MatrixFactorization model, int[] u, int[] i, double[] r, AdamGradients gradients)
        {
            (_model, _u, _i, _r, _gradients) = (model, u, i, r, gradients);
            _errors = new double[model.BatchSize];
            _side = Side;
        }

        /// <summary>Adds the gradient of the ratings at <paramref name="order"/>[first, first + count).</summary>
        public void Add(int[] order, int first, int count)
        {
            var model = _model;
            int k = model.NFactors;
            double scale = 2.0 / count;
            (_batch, _first, _count, _decay) = (order, first, count, scale * model.Alpha);
            ref double userFactors = ref MemoryMarshal.GetArrayDataReference(model._userFactors);
            ref double itemFactors = ref MemoryMarshal.GetArrayDataReference(model._itemFactors);
            for (int j = 0; j < count; j++)
            {
                int n = order[first + j], user = _u[n], item = _i[n];
                // Rows read through references: user and item are rows of these tables by construction.
                double dot = ShortDot.Dot(ref Unsafe.Add(ref userFactors, user * k), ref Unsafe.Add(ref itemFactors, item * k), k);
                _errors[j] = scale * (model.GlobalMean + model._userBias[user] + model._itemBias[item] + dot - _r[n]);
            }
            // Two loads and a store per multiply-add: worth about two multiply-adds each.
            Parallelism.For(2, 2L * count * (k + 1), _side);
        }

        /// <summary>Side 0 adds the users' terms, side 1 the items'.</summary>
        private void Side(int side)
        {
            var model = _model;
            int k = model.NFactors;
            bool users = side == 0;
            ref double own = ref MemoryMarshal.GetArrayDataReference(users ? model._userFactors : model._itemFactors);
            ref double other = ref MemoryMarshal.GetArrayDataReference(users ? model._itemFactors : model._userFactors);
            ref double gradient = ref MemoryMarshal.GetArrayDataReference(users ? _gradients.UserFactors : _gradients.ItemFactors);
            var (ownRows, otherRows) = users ? (_u, _i) : (_i, _u);
            var (biases, biasGradient) = users ? (model._userBias, _gradients.UserBias) : (model._itemBias, _gradients.ItemBias);
            double decay = _decay;
            for (int j = 0; j < _count; j++)
            {
                int n = _batch[_first + j], row = ownRows[n];
                double error = _errors[j];
                AddTerms(ref Unsafe.Add(ref gradient, row * k), ref Unsafe.Add(ref other, otherRows[n] * k), ref Unsafe.Add(ref own, row * k), k, error, decay);
                if (model.UseBiases) biasGradient[row] += error + decay * biases[row];
            }
        }

        /// <summary>
        /// g += e·x + d·y over k values in one pass: vector lanes of fused multiply-adds, then the
        /// scalar tail (all scalar without vector hardware). Library calls per rating would cost more
        /// than the arithmetic at k = 32.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddTerms(ref double g, ref double x, ref double y, int k, double e, double d)
        {
            int f = 0;
            if (Vector.IsHardwareAccelerated)
            {
                Vector<double> error = new(e), decay = new(d);
                for (; f <= k - Vector<double>.Count; f += Vector<double>.Count)
                {
                    var sum = Vector.FusedMultiplyAdd(decay, Vector.LoadUnsafe(ref y, (nuint)f), Vector.LoadUnsafe(ref g, (nuint)f));
                    Vector.FusedMultiplyAdd(error, Vector.LoadUnsafe(ref x, (nuint)f), sum).StoreUnsafe(ref g, (nuint)f);
                }
            }
            for (; f < k; f++) Unsafe.Add(ref g, f) += e * Unsafe.Add(ref x, f) + d * Unsafe.Add(ref y, f);
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
