namespace Nabla.Models;

/// <summary>
/// The most memory running or training a network may take: its parameters, and what one batch of
/// rows allocates on the way through it, as <see cref="NetworkMemory"/> counts it before anything is
/// allocated. A model file of a few kilobytes, or a few options, can describe a network whose
/// activations alone exceed the machine; checked against this, it is refused with a message that
/// names the layer, instead of exhausting the memory.
/// </summary>
/// <example><c>model.MemoryLimit = new MemoryLimit(16L &lt;&lt; 30, "the service's memory setting");</c></example>
public sealed record MemoryLimit
{
    /// <summary>The most the default limit is, 8 GB: beyond it, a user who means it says so.</summary>
    public const long DefaultCeilingBytes = 8L << 30;

    /// <summary>Creates a limit.</summary>
    /// <param name="bytes">The limit in bytes, at least 1.</param>
    /// <param name="setting">What a refusal names as the way to raise the limit, e.g. "--memory-limit".</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="setting"/> is empty.</exception>
    public MemoryLimit(long bytes, string setting)
    {
        if (bytes < 1) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"MemoryLimit: the limit must be at least 1 byte, got {bytes}.");
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        Bytes = bytes;
        Setting = setting;
    }

    /// <summary>
    /// The limit when none is given: half the memory this process may use (the machine's, or its
    /// container's or the runtime's hard limit when lower), and at most <see cref="DefaultCeilingBytes"/>;
    /// the other half is left to the data, the runtime and the rest of the machine.
    /// </summary>
    public static MemoryLimit Default { get; } = new(DefaultBytes(), $"{nameof(MemoryLimit)}.{nameof(Default)}");

    /// <summary>The limit in bytes.</summary>
    public long Bytes { get; }

    /// <summary>What a refusal names as the way to raise the limit: "--memory-limit", "MemoryLimit.Default", ...</summary>
    public string Setting { get; }

    /// <summary>The limit as people read it: "8 GB", "512 MB" (units of 1024 bytes).</summary>
    public string Amount => ByteCount.Format(Bytes);

    /// <summary>The limit as refusals write it: "8 GB (--memory-limit)".</summary>
    public override string ToString() => $"{Amount} ({Setting})";

    private static long DefaultBytes()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? Math.Min(available / 2, DefaultCeilingBytes) : DefaultCeilingBytes;
    }
}
