using Nabla.Data;

namespace Nabla.Metrics;

/// <summary>The checks every metric makes on its inputs, with messages that name the metric and the sizes.</summary>
internal static class MetricInputs
{
    /// <summary>Throws unless both inputs hold the same, non-zero number of samples.</summary>
    /// <exception cref="ArgumentException">The lengths differ (both named) or the inputs are empty.</exception>
    public static void CheckLengths(string metric, int trueLength, int otherLength, string otherName = "yPred")
    {
        if (trueLength != otherLength)
            throw new ArgumentException($"{metric}: yTrue has {trueLength} samples but {otherName} has {otherLength}; they must have one entry per sample.");
        if (trueLength == 0)
            throw new ArgumentException($"{metric}: yTrue and {otherName} are empty; at least one sample is needed.");
    }

    /// <summary>The labels of a 1-D tensor as integers: Int32 as is, floating point only when every value is whole.</summary>
    /// <exception cref="ArgumentException">The tensor is not 1-D, or holds a value that is not a whole number.</exception>
    public static int[] Labels(Tensor labels, string metric, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Rank != 1)
            throw new ShapeMismatchException($"{metric}: {name} must be 1-D (one label per sample), got shape {Shapes.Format(labels.ShapeArray)}.");
        if (labels.DType == DType.Int32) return labels.ToArray<int>();
        var values = labels.ToDoubleArray();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Round(values[i]) || Math.Abs(values[i]) > int.MaxValue)
                throw new ArgumentException($"{metric}: {name} holds {values[i]} at index {i}; class labels must be whole numbers.", name);
            result[i] = (int)values[i];
        }
        return result;
    }

    /// <summary>The values of a tensor as a (rows, columns) matrix: a 1-D tensor is one column.</summary>
    /// <exception cref="ShapeMismatchException">The tensor is neither 1-D nor 2-D.</exception>
    public static double[,] Matrix(Tensor values, string metric, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Rank is not (1 or 2))
            throw new ShapeMismatchException($"{metric}: {name} must be 1-D or 2-D (samples × outputs), got shape {Shapes.Format(values.ShapeArray)}.");
        int rows = values.Size(0), columns = values.Rank == 2 ? values.Size(1) : 1;
        var flat = values.ToDoubleArray();
        var result = new double[rows, columns];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    /// <summary>The values of a 1-D list as a one-column matrix.</summary>
    public static double[,] Column(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var result = new double[values.Count, 1];
        for (int i = 0; i < values.Count; i++) result[i, 0] = values[i];
        return result;
    }

    /// <summary>Throws unless <paramref name="zeroDivision"/> is 0 or 1, the values scikit-learn allows.</summary>
    public static void CheckZeroDivision(double zeroDivision)
    {
        if (zeroDivision is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(zeroDivision), zeroDivision, $"zeroDivision must be 0 or 1, got {zeroDivision}.");
    }

    /// <summary>The labels sorted as scikit-learn's <c>unique_labels(y_true, y_pred)</c>.</summary>
    public static T[] Present<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred) where T : notnull => LabelOrder.Unique(yTrue, yPred);
}
