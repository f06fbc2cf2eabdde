namespace Nabla.Estimators;

// Bayesian personalised ranking by stochastic gradient ascent (Rendle, Freudenthaler, Gantner and Schmidt-Thieme, 2009).
public sealed partial class ImplicitMatrixFactorization
{
    /// <summary>
    /// Each epoch draws as many triples as there are seen pairs: a seen pair (u, i) uniformly (of the
    /// users who have not seen every item), then an item j that u has not seen, uniformly; with
    /// x̂_uij = (b_i + x_u·y_i) − (b_j + x_u·y_j) and g = σ(−x̂_uij), the derivative of ln σ(x̂_uij),
    /// every parameter θ of the triple steps by learningRate·(g·∂x̂_uij/∂θ − α·θ). The strengths only
    /// say which pairs are seen.
    /// </summary>
    /// <remarks>One sample after another from one seeded generator, so the model is the same at any thread count.</remarks>
    private void FitBpr(Generator generator)
    {
        int k = NFactors, items = _itemIds.Length;
        var bias = _itemBias!;
        double rate = LearningRate, alpha = Alpha;
        // The seen pairs of users who have not seen every item (Fit made sure there are some): only they have a j to draw.
        var pairUsers = new List<int>();
        var pairs = new List<int>();
        for (int u = 0; u < _seen.Rows; u++)
        {
            if (_seen.Of(u).Length == items) continue;
            for (int n = _seen.Offsets[u]; n < _seen.Offsets[u + 1]; n++)
            {
                pairUsers.Add(u);
                pairs.Add(n);
            }
        }
        for (int epoch = 0; epoch < MaxIter; epoch++)
        {
            double loss = 0;
            for (int draw = 0; draw < pairs.Count; draw++)
            {
                int pick = generator.NextInt(pairs.Count), u = pairUsers[pick], i = _seen.Items[pairs[pick]];
                var seen = _seen.Of(u);
                int j;
                do j = generator.NextInt(items); while (seen.BinarySearch(j) >= 0);
                var x = _userFactors.AsSpan(u * k, k);
                var yi = _itemFactors.AsSpan(i * k, k);
                var yj = _itemFactors.AsSpan(j * k, k);
                double difference = bias[i] - bias[j];
                for (int f = 0; f < k; f++) difference += x[f] * (yi[f] - yj[f]);
                loss += SoftplusOfMinus(difference);
                double g = 1 / (1 + Math.Exp(difference));
                for (int f = 0; f < k; f++)
                {
                    double xf = x[f], yif = yi[f], yjf = yj[f];
                    x[f] += rate * (g * (yif - yjf) - alpha * xf);
                    yi[f] += rate * (g * xf - alpha * yif);
                    yj[f] += rate * (-g * xf - alpha * yjf);
                }
                bias[i] += rate * (g - alpha * bias[i]);
                bias[j] += rate * (-g - alpha * bias[j]);
            }
            EndEpoch(loss / pairs.Count);
        }
    }

    /// <summary>−ln σ(z) = ln(1 + e^(−z)), without overflow for z of either sign.</summary>
    private static double SoftplusOfMinus(double z) => z > 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z));
}
