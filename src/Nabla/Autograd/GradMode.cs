namespace Nabla;

/// <summary>Whether ops record the graph on this thread (turned off inside <see cref="Autograd.NoGrad"/>).</summary>
internal static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    public static bool IsEnabled => t_disabledDepth == 0;

    public static void Disable() => t_disabledDepth++;

    public static void Restore() => t_disabledDepth--;
}
