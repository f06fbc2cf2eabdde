using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Text;

namespace Nabla.Estimators;

/// <summary>
/// The samples a row-at-a-time solver (<see cref="DualCoordinateDescent"/>) reads: dense rows of a
/// <see cref="DesignMatrix"/> or the few entries of each row of <see cref="SparseRows"/>, each row's dot
/// product with the weights and its scaled addition to them.
/// </summary>
internal abstract class SampleRows
{
    /// <summary>The number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The number of features.</summary>
    public abstract int Features { get; }

    /// <summary>xᵢ·w over the features.</summary>
    public abstract double Dot(int row, ReadOnlySpan<double> weights);

    /// <summary>w += step·xᵢ.</summary>
    public abstract void AddScaled(int row, double step, Span<double> weights);

    /// <summary>‖xᵢ‖².</summary>
    public abstract double SquaredNorm(int row);

    /// <summary>The rows of a dense matrix.</summary>
    public static SampleRows Of(DesignMatrix x) => new Dense(x);

    /// <summary>The rows of a sparse matrix.</summary>
    public static SampleRows Of(SparseRows x) => new Sparse(x);

    private sealed class Dense(DesignMatrix x) : SampleRows
    {
        private readonly double[] _values = x.Values;

        public override int Count => x.Rows;

        public override int Features => x.Columns;

        public override double Dot(int row, ReadOnlySpan<double> weights) => TensorPrimitives.Dot(weights, Row(row));

        public override void AddScaled(int row, double step, Span<double> weights) => TensorPrimitives.MultiplyAdd(Row(row), step, weights, weights);

        public override double SquaredNorm(int row) => TensorPrimitives.Dot(Row(row), Row(row));

        private ReadOnlySpan<double> Row(int row) => _values.AsSpan(row * x.Columns, x.Columns);
    }

    private sealed class Sparse(SparseRows x) : SampleRows
    {
        public override int Count => x.RowCount;

        public override int Features => x.ColumnCount;

        public override double Dot(int row, ReadOnlySpan<double> weights)
        {
            var columns = x.ColumnsOf(row);
            var values = x.ValuesOf(row);
            double sum = 0;
            for (int k = 0; k < columns.Length; k++) sum += values[k] * weights[columns[k]];
            return sum;
        }

        public override void AddScaled(int row, double step, Span<double> weights)
        {
            var columns = x.ColumnsOf(row);
            var values = x.ValuesOf(row);
            for (int k = 0; k < columns.Length; k++) weights[columns[k]] += step * values[k];
        }

        public override double SquaredNorm(int row)
        {
            var values = x.ValuesOf(row);
            return TensorPrimitives.Dot(values, values);
        }
    }
}
