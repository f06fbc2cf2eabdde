using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// The values a regressor learns: one target per sample as a <c>double[]</c> or a 1-D
/// <see cref="Tensor"/> of length N, or several as a <c>double[,]</c> or a 2-D tensor (N, T).
/// Each converts implicitly.
/// </summary>
/// <remarks>
/// As in scikit-learn, the shape of the targets decides the shape of what comes back: a model fitted
/// on one target predicts a vector (N) and has a coefficient vector (F); one fitted on T targets
/// predicts (N, T) and has coefficients (T, F).
/// </remarks>
public readonly struct RegressionTargets
{
    private readonly Tensor? _tensor;
    private readonly double[]? _vector;
    private readonly double[,]? _matrix;

    private RegressionTargets(Tensor? tensor, double[]? vector, double[,]? matrix) =>
        (_tensor, _vector, _matrix) = (tensor, vector, matrix);

    /// <summary>Targets as a tensor of shape (N) or (N, T), of any element type.</summary>
    public static implicit operator RegressionTargets(Tensor y) => new(y, null, null);

    /// <summary>One target a sample.</summary>
    public static implicit operator RegressionTargets(double[] y) => new(null, y, null);

    /// <summary>T targets a sample, one row a sample.</summary>
    public static implicit operator RegressionTargets(double[,] y) => new(null, null, y);

    /// <summary>The targets as a Float64 (N, T) matrix, checked to be finite and to have <paramref name="samples"/> rows.</summary>
    /// <exception cref="ArgumentNullException">No targets were given.</exception>
    /// <exception cref="ShapeMismatchException">The targets are not 1-D or 2-D, or their count differs from X's.</exception>
    /// <exception cref="ArgumentException">A target is NaN or infinite, or there are no target columns.</exception>
    internal TargetMatrix ToTargets(int samples, string who)
    {
        TargetMatrix targets;
        if (_tensor is { } t)
        {
            if (t.Rank is not (1 or 2))
                throw new ShapeMismatchException($"{who}: y must be 1-D (samples) or 2-D (samples × targets), got shape {Shapes.Format(t.ShapeArray)}.");
            targets = new TargetMatrix(t.ToDoubleArray(), t.Size(0), t.Rank == 1 ? 1 : t.Size(1), t.Rank == 1);
        }
        else if (_vector is { } v)
        {
            targets = new TargetMatrix((double[])v.Clone(), v.Length, 1, true);
        }
        else if (_matrix is { } m)
        {
            var values = new double[m.Length];
            Buffer.BlockCopy(m, 0, values, 0, m.Length * sizeof(double));
            targets = new TargetMatrix(values, m.GetLength(0), m.GetLength(1), false);
        }
        else
        {
            throw new ArgumentNullException("y", $"{who}: y is null.");
        }
        if (targets.Rows != samples)
            throw new ShapeMismatchException($"{who}: X has {samples} samples, y has {targets.Rows}.");
        if (targets.Columns == 0)
            throw new ArgumentException($"{who}: y has no targets (0 columns).", "y");
        int bad = Array.FindIndex(targets.Values, value => !double.IsFinite(value));
        if (bad >= 0)
            throw new ArgumentException($"{who}: y holds {Hyperparameters.Format(targets.Values[bad])} at sample {bad / targets.Columns}; every target must be finite.", "y");
        return targets;
    }
}

/// <summary>Regression targets as Float64, row-major N × T; <see cref="OneDimensional"/> when they came as a vector.</summary>
internal sealed record TargetMatrix(double[] Values, int Rows, int Columns, bool OneDimensional);
