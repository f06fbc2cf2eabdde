namespace Nabla.Kernels;

/// <summary>
/// The sizes of one 2-D convolution: batch, input and output channels, groups, and the
/// <see cref="Window2d"/> of its kernel. Shared by the forward product and both gradients, which
/// all derive from the same convolution.
/// </summary>
internal readonly struct Conv2dGeometry(int batch, int inChannels, int outChannels, int groups, Window2d window)
{
    public readonly int Batch = batch, InChannels = inChannels, OutChannels = outChannels, Groups = groups;
    public readonly Window2d Window = window;

    /// <summary>Input channels per group (the weight's second dimension).</summary>
    public int GroupInChannels => InChannels / Groups;

    /// <summary>Output channels per group.</summary>
    public int GroupOutChannels => OutChannels / Groups;

    /// <summary>Rows of one group's column matrix and columns of its weight matrix: C/groups·kH·kW.</summary>
    public int GroupTaps => GroupInChannels * Window.KernelArea;

    public int[] InputShape => [Batch, InChannels, Window.InputHeight, Window.InputWidth];

    public int[] WeightShape => [OutChannels, GroupInChannels, Window.KernelHeight, Window.KernelWidth];

    public int[] OutputShape => [Batch, OutChannels, Window.OutputHeight, Window.OutputWidth];
}
