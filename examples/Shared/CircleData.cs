using Nabla;

/// <summary>
/// The data of the network examples: points drawn uniformly from the square [−1, 1]², labelled 1
/// inside the circle of radius 0.7 and 0 outside. No straight line separates the classes, so a
/// hidden layer has to learn the curve.
/// </summary>
internal static class CircleData
{
    /// <summary>Points as a (count, 2) Float64 tensor and labels as (count, 1), from a seeded generator.</summary>
    public static (Tensor X, Tensor Y) Sample(int count, Generator generator)
    {
        var points = new double[count * 2];
        var labels = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u = 2 * generator.NextDouble() - 1, v = 2 * generator.NextDouble() - 1;
            (points[2 * i], points[2 * i + 1]) = (u, v);
            labels[i] = u * u + v * v < 0.49 ? 1 : 0;
        }
        return (Tensor.FromArray(points, count, 2), Tensor.FromArray(labels, count, 1));
    }

    /// <summary>The share of predictions on the right side of 0.5.</summary>
    public static double Accuracy(Tensor predicted, Tensor labels)
    {
        var p = predicted.ToArray<double>();
        var y = labels.ToArray<double>();
        int correct = 0;
        for (int i = 0; i < y.Length; i++) if ((p[i] > 0.5) == (y[i] > 0.5)) correct++;
        return (double)correct / y.Length;
    }
}
