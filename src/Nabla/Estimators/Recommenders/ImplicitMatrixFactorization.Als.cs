using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Estimators;

// Weighted alternating least squares for implicit feedback (Hu, Koren and Volinsky, 2008).
public sealed partial class ImplicitMatrixFactorization
{
    // Rows solved by one piece of work: fixed, so the pieces (and the loss's partial sums) do not depend on the thread count.
    private const int RowsPerPiece = 64;

    /// <summary>
    /// Alternates exact solves of the users given the items and of the items given the users, recording
    /// the weighted loss after each alternation.
    /// </summary>
    /// <param name="strengths">Each seen pair's summed strength, in the order of <see cref="SeenItems.Items"/>.</param>
    private void FitAls(double[] strengths)
    {
        var (byItem, itemStrengths) = _seen.Transpose(_itemIds.Length, strengths);
        var itemGram = Gram(_itemFactors);
        for (int iteration = 0; iteration < MaxIter; iteration++)
        {
            SolveSide(_seen, strengths, _userFactors, _itemFactors, itemGram);
            SolveSide(byItem, itemStrengths, _itemFactors, _userFactors, Gram(_userFactors));
            itemGram = Gram(_itemFactors);
            EndEpoch(WeightedLoss(strengths, itemGram));
        }
    }

    /// <summary>
    /// Solves every row of one side with the other side fixed:
    /// x = (OᵀO + Σ_{j seen} (c_j − 1) o_j o_jᵀ + αI)⁻¹ Σ_{j seen} c_j o_j, c_j = 1 + Confidence·r_j. The
    /// unseen pairs (p = 0, c = 1) are all in OᵀO, made once a half-step, so a row costs k² per pair it has seen and a
    /// k×k Cholesky solve, not a pass over the whole other side.
    /// </summary>
    /// <param name="pairs">The rows' seen pairs (each user's items, or each item's users).</param>
    /// <param name="strengths">The pairs' summed strengths, in the same order.</param>
    /// <param name="factors">The side solved, rows × k, overwritten.</param>
    /// <param name="other">The other side, fixed.</param>
    /// <param name="gram">OᵀO, the other side's Gram matrix.</param>
    private void SolveSide(SeenItems pairs, double[] strengths, double[] factors, double[] other, double[] gram)
    {
        int k = NFactors;
        int pieces = (pairs.Rows + RowsPerPiece - 1) / RowsPerPiece;
        long work = (long)RowsPerPiece * k * k * (k / 6 + 1 + pairs.Pairs / Math.Max(1, pairs.Rows));
        Parallelism.For(pieces, work, piece =>
        {
            var a = new double[k * k];
            var b = new double[k];
            for (int row = piece * RowsPerPiece; row < Math.Min(pairs.Rows, (piece + 1) * RowsPerPiece); row++)
            {
                gram.CopyTo(a, 0);
                for (int s = 0; s < k; s++) a[s * k + s] += Alpha;
                Array.Clear(b);
                for (int n = pairs.Offsets[row]; n < pairs.Offsets[row + 1]; n++)
                {
                    var o = other.AsSpan(pairs.Items[n] * k, k);
                    double c = 1 + Confidence * strengths[n];
                    TensorPrimitives.MultiplyAdd(o, c, b, b);
                    // The lower triangle is all the solve reads.
                    for (int s = 0; s < k; s++) TensorPrimitives.MultiplyAdd(o[..(s + 1)], (c - 1) * o[s], a.AsSpan(s * k, s + 1), a.AsSpan(s * k, s + 1));
                }
                SymmetricPositiveDefinite.Solve(a, b, k);
                b.CopyTo(factors, row * k);
            }
        });
    }

    /// <summary>MᵀM for the rows × k matrix M, k×k.</summary>
    private double[] Gram(double[] m)
    {
        int k = NFactors;
        var gram = new double[k * k];
        Gemm.Multiply(transA: true, transB: false, k, k, m.Length / k, m, 0, m, 0, gram, 0, accumulate: false);
        return gram;
    }

    /// <summary>
    /// Σ over all pairs of c (p − x_u·y_i)² + α(‖X‖² + ‖Y‖²), as Σ_u x_uᵀ(YᵀY)x_u (every pair taken as
    /// unseen: c = 1, p = 0) plus, for each seen pair of score s, the difference c(1 − s)² − s².
    /// </summary>
    private double WeightedLoss(double[] strengths, double[] itemGram)
    {
        int k = NFactors, users = _seen.Rows;
        int pieces = (users + RowsPerPiece - 1) / RowsPerPiece;
        var partial = new double[pieces];
        Parallelism.For(pieces, (long)RowsPerPiece * k * k, piece =>
        {
            var gx = new double[k];
            double sum = 0;
            for (int u = piece * RowsPerPiece; u < Math.Min(users, (piece + 1) * RowsPerPiece); u++)
            {
                var x = _userFactors.AsSpan(u * k, k);
                for (int s = 0; s < k; s++) gx[s] = TensorPrimitives.Dot(itemGram.AsSpan(s * k, k), x);
                sum += TensorPrimitives.Dot(x, gx);
                for (int n = _seen.Offsets[u]; n < _seen.Offsets[u + 1]; n++)
                {
                    double score = TensorPrimitives.Dot(x, _itemFactors.AsSpan(_seen.Items[n] * k, k));
                    double c = 1 + Confidence * strengths[n];
                    sum += c * (1 - score) * (1 - score) - score * score;
                }
            }
            partial[piece] = sum;
        });
        double penalty = Alpha * (TensorPrimitives.Dot(_userFactors, _userFactors) + TensorPrimitives.Dot(_itemFactors, _itemFactors));
        // Added in piece order, so the total is the same at any thread count.
        double total = 0;
        foreach (double p in partial) total += p;
        return total + penalty;
    }
}
