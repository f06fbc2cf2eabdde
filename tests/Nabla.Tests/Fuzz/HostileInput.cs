using System.Diagnostics;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// What every reader must do with any input, however damaged: return, or throw one of the exceptions it
/// documents with a message a user can act on (one line, naming the source, no framework wording),
/// within a time and an allocation bound, never any other exception.
/// </summary>
internal static class HostileInput
{
    /// <summary>Generous enough for a loaded machine; a reader that loops or computes without bound exceeds it by far.</summary>
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="read"/> on case <paramref name="name"/> and checks the outcome. Allocation is
    /// measured on this thread, where the readers run.
    /// </summary>
    /// <param name="name">The case, shown when it fails (the seed and the mutation).</param>
    /// <param name="source">What the reader's messages must name (a path), or null.</param>
    /// <param name="maxAllocatedBytes">The most bytes the case may allocate.</param>
    /// <param name="read">The reader on the input.</param>
    /// <param name="allowed">The exceptions the reader documents for bad input.</param>
    /// <returns>Whether the input was accepted.</returns>
    public static bool Check(string name, string? source, long maxAllocatedBytes, Action read, params Type[] allowed)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Exception? refusal = null;
        try
        {
            read();
        }
        catch (Exception e) when (allowed.Any(type => type.IsInstanceOfType(e)))
        {
            refusal = e;
        }
        catch (Exception e)
        {
            Assert.Fail($"{name}: {e.GetType().Name} is not a documented refusal: {e}");
        }
        var elapsed = clock.Elapsed;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(elapsed < TimeBound, $"{name}: took {elapsed.TotalSeconds:F1} s");
        Assert.True(allocated <= maxAllocatedBytes, $"{name}: allocated {allocated:N0} bytes, more than {maxAllocatedBytes:N0}");
        if (refusal is not null) CheckMessage(name, source, refusal.Message);
        return refusal is null;
    }

    /// <summary>A message for people: one line, the source named, nothing of the framework's internals.</summary>
    public static void CheckMessage(string name, string? source, string message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), $"{name}: empty message");
        Assert.DoesNotContain('\n', message);
        if (source is not null) Assert.True(message.Contains(source, StringComparison.Ordinal), $"{name}: the message does not name {source}: {message}");
        foreach (string internals in new[] { "(Parameter '", "Exception", "System.", "Index was outside", "Object reference", "   at " })
            Assert.False(message.Contains(internals, StringComparison.Ordinal), $"{name}: the message shows internals ('{internals}'): {message}");
    }
}
