namespace Nabla.Dashboard.Tests;

/// <summary>
/// The system's Chromium, which the browser tests drive (Debian's package: /usr/bin/chromium; another with
/// NABLA_CHROMIUM). Where it is missing the browser tests are skipped, saying why, except in continuous integration,
/// which installs it: there a missing browser fails them.
/// </summary>
internal static class Chromium
{
    /// <summary>The browser's path: NABLA_CHROMIUM, else Debian's.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("NABLA_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here, or null when they can (or must: CI=true).</summary>
    public static string? SkipReason { get; } =
        File.Exists(ExecutablePath) || Environment.GetEnvironmentVariable("CI") == "true"
            ? null
            : $"No Chromium at {ExecutablePath}: install it (Debian: apt-get install chromium) or set NABLA_CHROMIUM to run the dashboard's browser tests.";
}

/// <summary>A test that drives the dashboard in Chromium: skipped, with the reason shown, where there is none.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is missing outside CI.</summary>
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason) Skip = reason;
    }
}
