using System.Globalization;

namespace Nabla.Models;

/// <summary>Amounts of memory as people read them: "512 bytes", "3.2 KB", "14.4 GB", in units of 1024 as memory is sized.</summary>
internal static class ByteCount
{
    private static readonly string[] Units = ["KB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>The amount with three significant digits at most, in the largest unit that leaves at least 1.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024) return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        string digits = value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##";
        return $"{value.ToString(digits, CultureInfo.InvariantCulture)} {Units[unit]}";
    }
}
