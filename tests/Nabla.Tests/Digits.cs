using System.Globalization;

namespace Nabla.Tests;

/// <summary>
/// The digits data (1,797 handwritten digits as 8×8 images of values 0–16, from <c>shared/data/digits.csv</c>)
/// with one fixed split for every learning test: every fifth image (index 4, 9, 14, ...) is held out
/// for testing (359 images), the other 1,438 train. Pixels are scaled to [0, 1].
/// </summary>
internal static class Digits
{
    private static readonly Lazy<(float[] Pixels, int[] Labels)> All = new(Load);

    /// <summary>The training images as (N, 64) and their labels as Int32 (N).</summary>
    public static (Tensor X, Tensor Y) Train => Part(test: false);

    /// <summary>The held-out images as (N, 64) and their labels as Int32 (N).</summary>
    public static (Tensor X, Tensor Y) Test => Part(test: true);

    private static (Tensor X, Tensor Y) Part(bool test)
    {
        var (pixels, labels) = All.Value;
        var rows = Enumerable.Range(0, labels.Length).Where(i => (i % 5 == 4) == test).ToArray();
        var x = new float[rows.Length * 64];
        var y = new int[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            pixels.AsSpan(rows[r] * 64, 64).CopyTo(x.AsSpan(r * 64));
            y[r] = labels[rows[r]];
        }
        return (Tensor.FromArray(x, rows.Length, 64), Tensor.FromArray(y, [rows.Length]));
    }

    private static (float[] Pixels, int[] Labels) Load()
    {
        var lines = File.ReadAllLines(SharedData.PathOf("digits.csv"));
        var pixels = new float[(lines.Length - 1) * 64];
        var labels = new int[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (int j = 0; j < 64; j++) pixels[(i - 1) * 64 + j] = float.Parse(cells[j], CultureInfo.InvariantCulture) / 16f;
            labels[i - 1] = int.Parse(cells[64], CultureInfo.InvariantCulture);
        }
        return (pixels, labels);
    }
}
