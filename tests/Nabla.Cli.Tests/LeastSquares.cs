namespace Nabla.Cli.Tests;

/// <summary>
/// Ordinary least squares in closed form, as an independent reference for the gradient-descent
/// fits: solves the normal equations (XᵀX)θ = Xᵀy in double precision.
/// </summary>
internal static class LeastSquares
{
    /// <summary>θ = (intercept, coefficients…) minimising Σ(θ₀ + xᵢ·θ₁.. − yᵢ)².</summary>
    public static double[] Fit(double[][] features, double[] target)
    {
        int p = features[0].Length + 1;
        var normal = new double[p, p + 1]; // [XᵀX | Xᵀy] with X = [1, features]
        for (int i = 0; i < target.Length; i++)
        {
            double[] row = [1.0, .. features[i]];
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++) normal[r, c] += row[r] * row[c];
                normal[r, p] += row[r] * target[i];
            }
        }
        return Solve(normal, p);
    }

    /// <summary>Training R² of the fitted θ: 1 − SS_res / SS_tot.</summary>
    public static double RSquared(double[][] features, double[] target, double[] theta)
    {
        double mean = target.Average(), residual = 0, total = 0;
        for (int i = 0; i < target.Length; i++)
        {
            double prediction = theta[0];
            for (int j = 0; j < features[i].Length; j++) prediction += theta[j + 1] * features[i][j];
            residual += (target[i] - prediction) * (target[i] - prediction);
            total += (target[i] - mean) * (target[i] - mean);
        }
        return 1 - residual / total;
    }

    /// <summary>Gaussian elimination with partial pivoting on an augmented p×(p+1) matrix.</summary>
    private static double[] Solve(double[,] a, int p)
    {
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < p; r++)
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int c = 0; c <= p; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (int r = 0; r < p; r++)
            {
                if (r == col) continue;
                double factor = a[r, col] / a[col, col];
                for (int c = col; c <= p; c++) a[r, c] -= factor * a[col, c];
            }
        }
        var theta = new double[p];
        for (int r = 0; r < p; r++) theta[r] = a[r, p] / a[r, r];
        return theta;
    }
}
