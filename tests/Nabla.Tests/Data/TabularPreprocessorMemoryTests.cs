using System.Globalization;
using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The tabular preprocessor copies a large table only once, into its Float32 result: allocations counted, not timed.</summary>
[Collection("Memory")]
public sealed class TabularPreprocessorMemoryTests
{
    [Fact]
    public void FitAndTransform_AllocateLittleBeyondTheResult()
    {
        const int rows = 50_000, columns = 20;
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}"))).Append('\n');
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) text.Append(c == 0 ? "" : ",").Append((r % 97 * 0.25 + c).ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        var table = Csv.Read(new StringReader(text.ToString()), "large.csv");
        int[] training = [.. Enumerable.Range(0, rows)];

        long start = GC.GetAllocatedBytesForCurrentThread();
        var prep = TabularPreprocessor.Fit(table, "c19", training);
        long fitting = GC.GetAllocatedBytesForCurrentThread() - start;
        start = GC.GetAllocatedBytesForCurrentThread();
        var x = prep.TransformFeatures(table);
        long transforming = GC.GetAllocatedBytesForCurrentThread() - start;

        Assert.Equal([rows, columns - 1], x.Shape);
        // Fitting copies the training row list (4 bytes a row) and no column: far below one column of doubles per feature.
        Assert.InRange(fitting, 4L * rows, 4L * rows + 64 * 1024);
        // The result is 4 bytes a cell; no double-sized intermediate (8 bytes a cell) is made on the way.
        long result = 4L * rows * (columns - 1);
        Assert.InRange(transforming, result, result + 64 * 1024);
    }
}
