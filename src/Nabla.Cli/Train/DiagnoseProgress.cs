using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// <c>--diagnose</c> in the progress: after each epoch's line, the epoch's <see cref="GradientReport"/>
/// as <see cref="GradientDiagnosis"/> tells it. Added after <paramref name="diagnostics"/> and the
/// epoch line's callback, so that both have done their work of the epoch.
/// </summary>
internal sealed class DiagnoseProgress(GradientDiagnostics diagnostics, TrainSettings settings, TextWriter writer) : ITrainingCallback
{
    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (diagnostics.EpochReports.Count == 0 || diagnostics.EpochReports[^1].Epoch != epoch.Epoch) return;
        writer.WriteLine(GradientDiagnosis.Text(diagnostics.EpochReports[^1], settings));
        writer.Flush();
    }
}
