using System.Buffers;
using Nabla.Kernels;

namespace Nabla.Estimators;

// Alternating least squares for MatrixFactorization: the ratings grouped by user and by item, and
// each half-step's independent ridge solves, one per row, run over fixed pieces of rows in parallel.
public sealed partial class MatrixFactorization
{
    // Ratings gathered per Gram product: a block of 128 rows of k + 2 doubles stays in the L2 cache.
    private const int GramBlock = 128;

    // Pieces of rows per half-step at most, and the least work (in ratings) worth a piece of its own.
    private const int MaxPieces = 64, MinPieceWork = 8192;

    /// <summary>
    /// ALS: with the items fixed, each user's (p_u, b_u) minimises a ridge problem over the items it
    /// rated, solved exactly by its (k+1)×(k+1) normal equations; then the same for each item.
    /// </summary>
    /// <remarks>
    /// The ratings are copied into two groupings (by user, by item) of 12 bytes a rating each, so each
    /// solve reads its own ratings in one run; <paramref name="u"/>, <paramref name="i"/> and
    /// <paramref name="r"/> are not read after that.
    /// </remarks>
    private void FitAls(int[] u, int[] i, double[] r)
    {
        var byUser = RatingGroups.Of(u, i, r, _userBias.Length);
        var byItem = RatingGroups.Of(i, u, r, _itemBias.Length);
        int size = UseBiases ? NFactors + 1 : NFactors;
        var userPieces = byUser.Pieces(size);
        var itemPieces = byItem.Pieces(size);
        for (int iteration = 0; iteration < MaxIter; iteration++)
        {
            SolveSide(byUser, userPieces, _userFactors, _userBias, _itemFactors, _itemBias);
            SolveSide(byItem, itemPieces, _itemFactors, _itemBias, _userFactors, _userBias);
            EndEpoch(GroupedRmse(byUser, userPieces));
        }
    }

    /// <summary>
    /// Solves, for every row of one side, min Σ (r − μ − b_other − [x; b]·[y; 1])² + α(‖x‖² + b²)
    /// with the other side's factors y and biases fixed. Each piece of rows runs on its own, and each
    /// row's solve reads only the other side, so the result does not depend on the thread count.
    /// </summary>
    private void SolveSide(RatingGroups groups, int[] pieces, double[] factors, double[] biases, double[] otherFactors, double[] otherBiases)
    {
        int size = UseBiases ? NFactors + 1 : NFactors;
        Parallelism.For(pieces.Length - 1, piece =>
        {
            // [y; 1; target] rows, their Gram matrix, and the system's matrix and right-hand side.
            var block = ArrayPool<double>.Shared.Rent(GramBlock * (size + 1));
            var gram = ArrayPool<double>.Shared.Rent((size + 1) * (size + 1));
            var a = ArrayPool<double>.Shared.Rent(size * size);
            var b = ArrayPool<double>.Shared.Rent(size);
            try
            {
                for (int row = pieces[piece]; row < pieces[piece + 1]; row++)
                    SolveRow(groups, row, size, block, gram, a, b, factors, biases, otherFactors, otherBiases);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(block);
                ArrayPool<double>.Shared.Return(gram);
                ArrayPool<double>.Shared.Return(a);
                ArrayPool<double>.Shared.Return(b);
            }
        });
    }

    /// <summary>
    /// One row's normal equations (YᵀY + α·n·I)·x = Yᵀt, Y the n rated rows' [y; 1], t their targets
    /// r − μ − b_other. The penalty is α·n, not α: the objective pays α(‖p_u‖² + b_u² + …) once per rating, as
    /// SGD and Adam do, so a row is held back in proportion to its evidence (the weighted-λ regularisation of
    /// Zhou et al., 2008, as in Spark's ALS), and one α suits users with 5 ratings and with 500. Y and t are gathered side by side, [Y t], a block of ratings at a time, and
    /// one GEMM, [Y t]ᵀ[Y t], gives YᵀY and Yᵀt together; Cholesky solves the system.
    /// </summary>
    private void SolveRow(RatingGroups groups, int row, int size, double[] block, double[] gram, double[] a, double[] b,
        double[] factors, double[] biases, double[] otherFactors, double[] otherBiases)
    {
        int k = NFactors, width = size + 1;
        int first = groups.Offsets[row], end = groups.Offsets[row + 1];
        for (int start = first; start < end; start += GramBlock)
        {
            int count = Math.Min(GramBlock, end - start);
            for (int n = 0; n < count; n++)
            {
                int other = groups.Others[start + n];
                var y = block.AsSpan(n * width, width);
                otherFactors.AsSpan(other * k, k).CopyTo(y);
                if (UseBiases) y[k] = 1;
                y[size] = groups.Values[start + n] - GlobalMean - (UseBiases ? otherBiases[other] : 0);
            }
            Gemm.Multiply(true, false, width, width, count, block, 0, block, 0, gram, 0, accumulate: start != first);
        }
        for (int s = 0; s < size; s++)
        {
            gram.AsSpan(s * width, size).CopyTo(a.AsSpan(s * size, size));
            a[s * size + s] += Alpha * (end - first);
            b[s] = gram[s * width + size];
        }
        SymmetricPositiveDefinite.Solve(a, b, size);
        b.AsSpan(0, k).CopyTo(factors.AsSpan(row * k, k));
        if (UseBiases) biases[row] = b[k];
    }

    /// <summary>The training RMSE, summed per piece of users and the pieces added in order, so it is the same at any thread count.</summary>
    private double GroupedRmse(RatingGroups byUser, int[] pieces)
    {
        var sums = new double[pieces.Length - 1];
        Parallelism.For(sums.Length, piece =>
        {
            double sum = 0;
            for (int row = pieces[piece]; row < pieces[piece + 1]; row++)
            {
                for (int n = byUser.Offsets[row]; n < byUser.Offsets[row + 1]; n++)
                {
                    double e = byUser.Values[n] - Estimate(row, byUser.Others[n]);
                    sum += e * e;
                }
            }
            sums[piece] = sum;
        });
        double total = 0;
        foreach (double sum in sums) total += sum;
        return Math.Sqrt(total / byUser.Values.Length);
    }

    /// <summary>
    /// The ratings grouped by one side's rows: row g's ratings are at [Offsets[g], Offsets[g + 1]) of
    /// <see cref="Others"/> (the other side's rows) and <see cref="Values"/>, in their order in the data.
    /// </summary>
    private sealed record RatingGroups(int[] Offsets, int[] Others, double[] Values)
    {
        /// <summary>A counting sort of the ratings by <paramref name="owner"/> (stable), for <paramref name="count"/> rows.</summary>
        public static RatingGroups Of(int[] owner, int[] other, double[] r, int count)
        {
            var offsets = new int[count + 1];
            foreach (int o in owner) offsets[o + 1]++;
            for (int g = 0; g < count; g++) offsets[g + 1] += offsets[g];
            var next = offsets[..^1];
            var others = new int[owner.Length];
            var values = new double[owner.Length];
            for (int n = 0; n < owner.Length; n++)
            {
                int at = next[owner[n]]++;
                others[at] = other[n];
                values[at] = r[n];
            }
            return new RatingGroups(offsets, others, values);
        }

        /// <summary>
        /// Where each piece of rows starts (and, last, the row count): consecutive rows of about equal
        /// work, a row's work being its ratings (one Gram row each) plus its solve (a Cholesky
        /// factorisation of a <paramref name="size"/>² system, worth about size/6 ratings' Gram rows).
        /// The pieces depend on the data only, never on the thread count.
        /// </summary>
        public int[] Pieces(int size)
        {
            int rows = Offsets.Length - 1;
            long solve = size / 6 + 1, total = Values.Length + rows * solve;
            int count = (int)Math.Clamp(total / MinPieceWork, 1, Math.Min(MaxPieces, rows));
            var starts = new List<int>(count + 1) { 0 };
            long work = 0;
            for (int row = 0; row < rows - 1 && starts.Count < count; row++)
            {
                work += Offsets[row + 1] - Offsets[row] + solve;
                if (work * count >= total * starts.Count) starts.Add(row + 1);
            }
            starts.Add(rows);
            return [.. starts];
        }
    }
}
