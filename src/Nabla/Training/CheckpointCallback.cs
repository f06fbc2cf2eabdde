
namespace Nabla.Training;

/// <summary>
/// Saves a <see cref="TrainingCheckpoint"/> to <see cref="FileName"/> in a folder after every epoch,
/// replacing the previous one atomically, so that a run killed at any instant can be continued with
/// <see cref="Trainer.Resume"/> from the last finished epoch.
/// </summary>
/// <remarks>
/// It must be the last of the trainer's callbacks, so that what it saves after an epoch includes
/// what the other callbacks did at that epoch's end (a scheduler's step); training refuses to start
/// otherwise.
/// </remarks>
/// <example>
/// <code>
/// trainer.Callbacks.Add(new CheckpointCallback("runs/mnist", run: new Dictionary&lt;string, string&gt; { ["lr"] = "0.001" }));
/// string path = Path.Combine("runs/mnist", CheckpointCallback.FileName);
/// History history = File.Exists(path)
///     ? trainer.Resume(TrainingCheckpoint.Load(path), train, epochs: 20, validation)
///     : trainer.Fit(train, epochs: 20, validation);
/// </code>
/// </example>
public sealed class CheckpointCallback : ITrainingCallback
{
    /// <summary>The name of the checkpoint file in <see cref="Directory"/>.</summary>
    public const string FileName = "checkpoint.safetensors";

    private readonly Dictionary<string, string> _run;

    /// <summary>Creates the callback.</summary>
    /// <param name="directory">The folder to save in; created when missing.</param>
    /// <param name="run">What to record about the run in each checkpoint (<see cref="TrainingCheckpoint.Run"/>), or null for nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public CheckpointCallback(string directory, IReadOnlyDictionary<string, string>? run = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        _run = run is null ? [] : new Dictionary<string, string>(run, StringComparer.Ordinal);
    }

    /// <summary>The folder the checkpoint is saved in.</summary>
    public string Directory { get; }

    /// <summary>The checkpoint file: <see cref="FileName"/> in <see cref="Directory"/>.</summary>
    public string Path => System.IO.Path.Combine(Directory, FileName);

    void ITrainingCallback.OnTrainBegin(Trainer trainer)
    {
        if (!ReferenceEquals(trainer.Callbacks[^1], this))
            throw new InvalidOperationException($"CheckpointCallback must be the last callback of the trainer, so that each checkpoint includes what the others did at the end of the epoch; it is at position {trainer.Callbacks.IndexOf(this) + 1} of {trainer.Callbacks.Count}.");
        System.IO.Directory.CreateDirectory(Directory);
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch) => trainer.CreateCheckpoint(_run).Save(Path);
}
