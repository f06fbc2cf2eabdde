using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// Text form of a tensor, following PyTorch's printing rules: one number format for all elements
/// (integers as "1.", fixed with four decimals, or scientific when magnitudes span too far), right
/// aligned, and only the first and last three items of each dimension when there are over 1000
/// elements.
/// </summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        bool summarize = t.Length > Threshold;
        var format = ChooseFormat(t, summarize);
        int width = 0;
        foreach (int i in VisibleIndices(t, summarize)) width = Math.Max(width, format(t.GetFlat(i)).Length);

        var text = new StringBuilder("tensor(");
        if (t.Rank == 0) text.Append(format(t.GetFlat(0)));
        else AppendDimension(text, t, 0, 0, summarize, format, width, indent: "tensor(".Length);
        text.Append(", shape=").Append(Shapes.Format(t.ShapeArray)).Append(", dtype=").Append(t.DType);
        if (t.GradFn is not null) text.Append(", gradFn=").Append(t.GradFn.Op);
        else if (t.RequiresGrad) text.Append(", requiresGrad=true");
        return text.Append(')').ToString();
    }

    private static void AppendDimension(StringBuilder text, Tensor t, int dim, int offset, bool summarize,
        Func<double, string> format, int width, int indent)
    {
        int size = t.ShapeArray[dim];
        int stride = 1;
        for (int d = dim + 1; d < t.Rank; d++) stride *= t.ShapeArray[d];
        text.Append('[');
        bool last = dim == t.Rank - 1;
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                text.Append(last ? "..., " : "...,\n" + new string('\n', t.Rank - dim - 2) + new string(' ', indent + dim + 1));
                i = size - EdgeItems - 1;
                continue;
            }
            if (last) text.Append(format(t.GetFlat(offset + i)).PadLeft(width));
            else AppendDimension(text, t, dim + 1, offset + i * stride, summarize, format, width, indent);
            if (i < size - 1)
                text.Append(last ? ", " : ",\n" + new string('\n', t.Rank - dim - 2) + new string(' ', indent + dim + 1));
        }
        text.Append(']');
    }

    private static IEnumerable<int> VisibleIndices(Tensor t, bool summarize)
    {
        for (int i = 0; i < t.Length; i++)
            if (!summarize || IsVisible(t, i)) yield return i;
    }

    private static bool IsVisible(Tensor t, int flat)
    {
        for (int d = t.Rank - 1; d >= 0; d--)
        {
            int size = t.ShapeArray[d], i = flat % size;
            flat /= size;
            if (size > 2 * EdgeItems && i >= EdgeItems && i < size - EdgeItems) return false;
        }
        return true;
    }

    private static Func<double, string> ChooseFormat(Tensor t, bool summarize)
    {
        var c = CultureInfo.InvariantCulture;
        if (t.DType == DType.Int32) return v => ((long)v).ToString(c);
        bool allIntegers = true;
        double maxAbs = 0, minAbs = double.PositiveInfinity;
        foreach (int i in VisibleIndices(t, summarize))
        {
            double v = t.GetFlat(i);
            if (!double.IsFinite(v)) continue;
            if (v != Math.Round(v)) allIntegers = false;
            double a = Math.Abs(v);
            if (a == 0) continue;
            maxAbs = Math.Max(maxAbs, a);
            minAbs = Math.Min(minAbs, a);
        }
        if (maxAbs == 0) minAbs = 0;
        if (allIntegers)
            return maxAbs > 1e8 ? v => Scientific(v) : v => Special(v) ?? v.ToString("0", c) + ".";
        bool scientific = maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4;
        return scientific ? v => Scientific(v) : v => Special(v) ?? v.ToString("0.0000", c);
    }

    private static string Scientific(double v) => Special(v) ?? v.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    private static string? Special(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : null;
}
