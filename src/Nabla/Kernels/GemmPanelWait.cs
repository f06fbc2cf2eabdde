using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// How long a GEMM thread waits for a shared panel that another thread is packing before it packs
/// a copy of its own: a few times what packing one panel takes (a microsecond or two), so a wait
/// longer than this means the packing thread was descheduled.
/// </summary>
internal static class GemmPanelWait
{
    /// <summary>The wait, in <see cref="Stopwatch"/> ticks (10 µs).</summary>
    /// <remarks>Settable only so a test can make every contested panel take the own-copy path.</remarks>
    internal static long Ticks { get; set; } = Stopwatch.Frequency * 10 / 1_000_000;
}
