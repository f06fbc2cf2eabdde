namespace Nabla.Tests.Training;

/// <summary>Small synthetic data sets with a known answer, drawn from a seeded generator.</summary>
internal static class Blobs
{
    /// <summary><paramref name="count"/> points in <paramref name="features"/> dimensions around one of <paramref name="classes"/> well-separated centres; Int32 labels.</summary>
    public static (Tensor X, Tensor Y) Classification(int count, int features = 4, int classes = 3, ulong seed = 5)
    {
        var g = new Generator(seed);
        var centres = new double[classes, features];
        for (int c = 0; c < classes; c++)
            for (int f = 0; f < features; f++) centres[c, f] = 3 * g.NextNormal();
        var x = new float[count * features];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = i % classes;
            for (int f = 0; f < features; f++) x[i * features + f] = (float)(centres[y[i], f] + g.NextNormal());
        }
        return (Tensor.FromArray(x, count, features), Tensor.FromArray(y));
    }

    /// <summary>y = x·w + noise for a fixed w; Float32 targets of shape [count, 1].</summary>
    public static (Tensor X, Tensor Y) Regression(int count, int features = 3, ulong seed = 6)
    {
        var g = new Generator(seed);
        var x = new float[count * features];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            double sum = 0;
            for (int f = 0; f < features; f++)
            {
                double v = g.NextNormal();
                x[i * features + f] = (float)v;
                sum += v * (f + 1) * (f % 2 == 0 ? 1 : -1);
            }
            y[i] = (float)(sum + 0.1 * g.NextNormal());
        }
        return (Tensor.FromArray(x, count, features), Tensor.FromArray(y, count, 1));
    }
}
