using Nabla.NN;

namespace Nabla.Tests.Training;

/// <summary>Small networks for the training tests.</summary>
internal static class Networks
{
    /// <summary>Linear layers of the given sizes (input, hidden..., output) with a fresh <paramref name="activation"/> between them, weights seeded.</summary>
    public static Sequential Mlp(int[] sizes, Func<Module> activation, ulong seed = 1)
    {
        var generator = new Generator(seed);
        var model = new Sequential();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            if (i > 0) model.Add(activation());
            model.Add(new Linear(sizes[i], sizes[i + 1], generator: generator));
        }
        return model;
    }
}
