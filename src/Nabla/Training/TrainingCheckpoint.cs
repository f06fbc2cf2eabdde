using Nabla.IO;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Training;

/// <summary>
/// Everything a training run needs to continue exactly where it stopped: the model's weights, the
/// optimizer's state, how many epochs and steps are done, the <see cref="Training.History"/> so far,
/// where the random generators that drive the run stand, the state of the callbacks that remember
/// earlier epochs (schedulers), and the caller's own description of the run.
/// </summary>
/// <remarks>
/// <para>
/// Take one with <see cref="Trainer.CreateCheckpoint"/> between epochs (or let a
/// <see cref="CheckpointCallback"/> save one after every epoch), and continue with
/// <see cref="Trainer.Resume"/>: a run interrupted after epoch k and resumed with a model, optimizer
/// and data loaders built the same way ends with the same weights, bit for bit, and the same history
/// as a run that was never interrupted.
/// </para>
/// <para>
/// On disk it is one safetensors file: the model's tensors under <c>"model."</c>, the optimizer's under
/// <c>"optimizer."</c>, the loaders' sample orders (Int32) under <c>"data."</c>, callbacks' tensors under
/// <c>"callbacks.&lt;key&gt;."</c>, and the rest as JSON values in the header's <c>__metadata__</c>. The file is
/// written atomically, so a process killed at any instant leaves the previous checkpoint or the new one.
/// </para>
/// </remarks>
public sealed class TrainingCheckpoint
{
    internal TrainingCheckpoint(IReadOnlyDictionary<string, Tensor> model, string optimizerType, OptimizerState optimizer,
        int epoch, long step, IReadOnlyList<EpochResult> history, string? stopReason, IReadOnlyDictionary<string, ulong[]> generators,
        IReadOnlyDictionary<string, int[]> dataOrders, IReadOnlyDictionary<string, CallbackState> callbacks, IReadOnlyDictionary<string, string> run)
    {
        Model = model;
        OptimizerType = optimizerType;
        Optimizer = optimizer;
        Epoch = epoch;
        Step = step;
        History = history;
        StopReason = stopReason;
        Generators = generators;
        DataOrders = dataOrders;
        Callbacks = callbacks;
        Run = run;
    }

    /// <summary>The model's parameters and buffers (copies), by the names of <see cref="NN.Module.StateDict"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }

    /// <summary>The name of the optimizer's type ("Adam"); a resume refuses an optimizer of another type.</summary>
    public string OptimizerType { get; }

    /// <summary>The optimizer's state: learning rate, moment estimates, step counts, L-BFGS history.</summary>
    public OptimizerState Optimizer { get; }

    /// <summary>The number of epochs finished.</summary>
    public int Epoch { get; }

    /// <summary>The number of optimizer steps taken, counted across epochs.</summary>
    public long Step { get; }

    /// <summary>Every finished epoch's record, in order (<see cref="Epoch"/> of them).</summary>
    public IReadOnlyList<EpochResult> History { get; }

    /// <summary>Why a callback stopped the run, or null when it was not stopped; a stopped run resumes to no further epoch.</summary>
    public string? StopReason { get; }

    /// <summary>
    /// The state (<see cref="Generator.GetState"/>) of each generator the run draws from, by role:
    /// <c>"train"</c> (the training loader's shuffling), <c>"validation"</c>, <c>"default"</c>
    /// (<see cref="NN.Init.DefaultGenerator"/>), and <c>"model.&lt;module&gt;"</c> for each module that
    /// draws dropout masks.
    /// </summary>
    public IReadOnlyDictionary<string, ulong[]> Generators { get; }

    /// <summary>
    /// The sample order of the last epoch of each loader, by role (<c>"train"</c>, <c>"validation"</c>):
    /// a shuffle permutes the previous order, so the next epoch's order depends on it as well as on the generator.
    /// </summary>
    public IReadOnlyDictionary<string, int[]> DataOrders { get; }

    /// <summary>
    /// The state of each <see cref="IStatefulCallback"/> of the trainer, under
    /// <c>"&lt;position in Callbacks&gt;.&lt;type name&gt;"</c> ("1.SchedulerCallback"): schedules stepped by a
    /// <see cref="SchedulerCallback"/>, <see cref="EarlyStopping"/>, <see cref="ModelCheckpoint"/>. A scheduler
    /// the caller steps by hand is not in it: save its <c>StateDict</c> in <see cref="Run"/> or step it through a callback.
    /// </summary>
    public IReadOnlyDictionary<string, CallbackState> Callbacks { get; }

    /// <summary>
    /// What the caller recorded about the run (a command's settings, the data file), so that a resume
    /// can refuse a checkpoint taken with other settings; empty when nothing was given.
    /// </summary>
    public IReadOnlyDictionary<string, string> Run { get; }

    /// <summary>
    /// Throws unless <see cref="Run"/> holds exactly <paramref name="settings"/>: the check a command
    /// makes before resuming, so that a checkpoint of other settings is refused rather than continued.
    /// </summary>
    /// <param name="settings">The current run's settings, recorded the same way as when the checkpoint was saved.</param>
    /// <exception cref="ArgumentException">A setting differs, is missing or is extra; the message lists each with both values.</exception>
    public void RequireRun(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var differences = new List<string>();
        foreach (var name in settings.Keys.Union(Run.Keys).Order(StringComparer.Ordinal))
        {
            bool here = settings.TryGetValue(name, out string? current), saved = Run.TryGetValue(name, out string? before);
            if (here && saved && current == before) continue;
            differences.Add($"{name} is {(here ? $"\"{current}\"" : "not set")} now but {(saved ? $"\"{before}\"" : "was not set")} in the checkpoint");
        }
        if (differences.Count > 0)
            throw new ArgumentException($"the checkpoint (after epoch {Epoch}) was saved by a run with other settings: {string.Join("; ", differences)}; resume with the same settings or start afresh.", nameof(settings));
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <exception cref="IOException">The file could not be written; an older file at the path is unchanged.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, tensor) in Model) tensors.Add(new(TrainingCheckpointFormat.ModelPrefix + name, tensor));
        foreach (var (name, tensor) in Optimizer.Tensors) tensors.Add(new(TrainingCheckpointFormat.OptimizerPrefix + name, tensor));
        foreach (var (role, order) in DataOrders) tensors.Add(new(TrainingCheckpointFormat.DataPrefix + role, Tensor.FromArray(order)));
        foreach (var (key, state) in Callbacks)
            foreach (var (name, tensor) in state.Tensors) tensors.Add(new($"{TrainingCheckpointFormat.CallbacksPrefix}{key}.{name}", tensor));
        Safetensors.Write(path, tensors, TrainingCheckpointFormat.Metadata(this));
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>, checking every field.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file, or not a training checkpoint, or a field is missing or garbled; the message names the file and the field.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return TrainingCheckpointFormat.Parse(path, Safetensors.Read(path));
    }
}
