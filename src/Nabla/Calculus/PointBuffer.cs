namespace Nabla.Calculus;

/// <summary>
/// The array handed to a function of several variables: the point with one or two coordinates
/// moved. It is rewritten from the original point before every call, so a function that modifies
/// its argument cannot corrupt later evaluations, and the caller's array is never touched.
/// </summary>
internal sealed class PointBuffer(double[] x)
{
    private readonly double[] _point = x;
    private readonly double[] _scratch = new double[x.Length];

    /// <summary>The point itself.</summary>
    internal double[] At()
    {
        _point.CopyTo(_scratch, 0);
        return _scratch;
    }

    /// <summary>The point with coordinate i set to xi.</summary>
    internal double[] At(int i, double xi)
    {
        At();
        _scratch[i] = xi;
        return _scratch;
    }

    /// <summary>The point with coordinates i and j set to xi and xj.</summary>
    internal double[] At(int i, double xi, int j, double xj)
    {
        At(i, xi);
        _scratch[j] = xj;
        return _scratch;
    }
}
