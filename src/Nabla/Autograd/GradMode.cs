namespace Nabla;

/// <summary>
/// Whether ops record the graph in the current flow of execution (turned off inside
/// <see cref="Autograd.NoGrad"/>). The depth is async-local, not thread-static: a scope that spans
/// an <c>await</c> is still in force when the method resumes on another thread, and its disposal
/// there restores that flow's state instead of corrupting the state of whichever threads ran it.
/// </summary>
internal static class GradMode
{
    private static readonly AsyncLocal<int> s_disabledDepth = new();

    public static bool IsEnabled => s_disabledDepth.Value == 0;

    public static void Disable() => s_disabledDepth.Value++;

    public static void Restore() => s_disabledDepth.Value--;

    /// <summary>
    /// Turns recording on in this flow whatever <see cref="Autograd.NoGrad"/> scopes are open, as
    /// <c>torch.enable_grad</c>, and returns the depth to hand back to <see cref="Reinstate"/>: a
    /// functional transform must record the function it differentiates even when called inside NoGrad.
    /// </summary>
    public static int EnableAll()
    {
        int depth = s_disabledDepth.Value;
        s_disabledDepth.Value = 0;
        return depth;
    }

    /// <summary>Puts back the depth that <see cref="EnableAll"/> returned.</summary>
    public static void Reinstate(int depth) => s_disabledDepth.Value = depth;
}
