using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Training;
using Nabla.Training;

namespace Nabla.Dashboard.Tests;

/// <summary>Run logs written by real fits, as <c>nabla train</c> writes them, for the dashboard to serve.</summary>
internal static class RunLogs
{
    /// <summary>
    /// Fits a small MLP on three blobs for <paramref name="epochs"/> epochs with a <see cref="RunLog"/> in
    /// <paramref name="folder"/> (gradient norms too when <paramref name="diagnose"/>, a step event every
    /// <paramref name="stepInterval"/> batches unless 0), and returns the log's path.
    /// </summary>
    public static string Train(string folder, int epochs, IReadOnlyDictionary<string, string>? settings = null, bool diagnose = false, ulong seed = 2, int stepInterval = 0)
    {
        var (x, y) = Blobs.Classification(160);
        var model = Networks.Mlp([4, 16, 3], () => new ReLU());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.01));
        var (train, validation) = new DataLoader(x, y, 16, shuffle: true, generator: new Generator(seed)).Split(0.2, 3);
        using var log = new RunLog(folder, settings ?? new Dictionary<string, string> { ["model"] = "mlp", ["epochs"] = $"{epochs}" })
        {
            StepInterval = stepInterval,
        };
        if (diagnose) trainer.Callbacks.Add(new GradientDiagnostics());
        trainer.Callbacks.Add(log);
        trainer.Fit(train, epochs, validation);
        return log.Path;
    }
}
