using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// Text form of a tensor, following PyTorch's printing rules (<c>torch/_tensor_str.py</c>): one
/// number format for all elements (integers as "1.", fixed with four decimals, or scientific when
/// magnitudes span too far), right aligned to the widest finite non-zero value, rows wrapped at 80
/// characters, and only the first and last three items of each dimension when there are over 1000
/// elements.
/// </summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;

    public static string Format(Tensor t)
    {
        bool summarize = t.Length > Threshold;
        var (format, width) = ChooseFormat(t, summarize);

        var text = new StringBuilder("tensor(");
        if (t.Rank == 0) text.Append(format(t.GetFlat(0)).PadLeft(width));
        else if (t.Length == 0) text.Append("[]");
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
        if (dim == t.Rank - 1)
        {
            AppendVector(text, t, offset, size, summarize, format, width, indent + dim);
            return;
        }
        int stride = 1;
        for (int d = dim + 1; d < t.Rank; d++) stride *= t.ShapeArray[d];
        string separator = "," + new string('\n', t.Rank - dim - 1) + new string(' ', indent + dim + 1);
        text.Append('[');
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                text.Append("...").Append(separator);
                i = size - EdgeItems - 1;
                continue;
            }
            AppendDimension(text, t, dim + 1, offset + i * stride, summarize, format, width, indent);
            if (i < size - 1) text.Append(separator);
        }
        text.Append(']');
    }

    /// <summary>One innermost row: items joined by ", ", as many per line as fit in 80 characters.</summary>
    private static void AppendVector(StringBuilder text, Tensor t, int offset, int size, bool summarize,
        Func<double, string> format, int width, int indent)
    {
        var items = new List<string>(size);
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                items.Add(" ...");
                i = size - EdgeItems - 1;
                continue;
            }
            items.Add(format(t.GetFlat(offset + i)).PadLeft(width));
        }
        int perLine = Math.Max(1, (LineWidth - indent) / (width + 2));
        text.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append(i % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
            text.Append(items[i]);
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

    /// <summary>
    /// The number format and the column width, from the visible elements. As PyTorch, only finite
    /// non-zero values decide both: integers print as "1." unless they span more than a factor of
    /// 1000 or exceed 1e8 (then scientific); other values print with four decimals unless they
    /// span more than a factor of 1000, exceed 1e8 or go below 1e-4 (then scientific).
    /// </summary>
    private static (Func<double, string> Format, int Width) ChooseFormat(Tensor t, bool summarize)
    {
        var c = CultureInfo.InvariantCulture;
        int width = 1;
        if (t.DType == DType.Int32)
        {
            Func<double, string> integer = v => ((long)v).ToString(c);
            foreach (int i in VisibleIndices(t, summarize)) width = Math.Max(width, integer(t.GetFlat(i)).Length);
            return (integer, width);
        }
        Func<double, string> whole = v => Special(v) ?? v.ToString("0", c) + ".";
        bool allIntegers = true, any = false;
        double maxAbs = 0, minAbs = double.PositiveInfinity;
        foreach (int i in VisibleIndices(t, summarize))
        {
            double v = t.GetFlat(i);
            if (!double.IsFinite(v) || v == 0) continue;
            any = true;
            if (v != Math.Round(v)) allIntegers = false;
            double a = Math.Abs(v);
            maxAbs = Math.Max(maxAbs, a);
            minAbs = Math.Min(minAbs, a);
        }
        if (!any) return (whole, width);
        bool wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
        Func<double, string> format = allIntegers
            ? wide ? Scientific : whole
            : wide || minAbs < 1e-4 ? Scientific : v => Special(v) ?? v.ToString("0.0000", c);
        foreach (int i in VisibleIndices(t, summarize))
        {
            double v = t.GetFlat(i);
            if (double.IsFinite(v) && v != 0) width = Math.Max(width, format(v).Length);
        }
        return (format, width);
    }

    private static string Scientific(double v) => Special(v) ?? v.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    private static string? Special(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : null;
}
