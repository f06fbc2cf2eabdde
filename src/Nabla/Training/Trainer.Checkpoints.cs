
namespace Nabla.Training;

/// <summary>The trainer's checkpoints: capturing a run between epochs and continuing it exactly.</summary>
public sealed partial class Trainer
{
    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/>: restores the model, the optimizer,
    /// the epoch and step counters, the history, the generators and sample orders of <paramref name="train"/>,
    /// <paramref name="validation"/>, the model's dropout and <see cref="NN.Init.DefaultGenerator"/>,
    /// and the state of each <see cref="IStatefulCallback"/>, then trains epochs
    /// <see cref="TrainingCheckpoint.Epoch"/> + 1 to <paramref name="epochs"/>.
    /// </summary>
    /// <remarks>
    /// The model, optimizer, callbacks and loaders must be built as they were for the saved run (same
    /// types, shapes, settings and order); the resumed run then ends bit for bit where the
    /// uninterrupted one would. A checkpoint of a run that a callback stopped, or that already has
    /// <paramref name="epochs"/> epochs, trains no further. Check <see cref="TrainingCheckpoint.Run"/>
    /// against the current settings before calling this. The optimizer type, generators, sample orders,
    /// callback keys, model and optimizer state are all checked before anything changes; each
    /// callback checks its own state when it is loaded, after <see cref="ITrainingCallback.OnTrainBegin"/>.
    /// Callbacks that keep state across epochs without implementing <see cref="IStatefulCallback"/>
    /// start afresh.
    /// </remarks>
    /// <param name="checkpoint">The saved run (<see cref="TrainingCheckpoint.Load"/>).</param>
    /// <param name="train">The training data, built as for the saved run.</param>
    /// <param name="epochs">The total number of epochs of the run, those already done included.</param>
    /// <param name="validation">The validation data, or null, as for the saved run.</param>
    /// <returns>The history of the whole run, the restored epochs first.</returns>
    /// <exception cref="ArgumentException">The checkpoint does not fit this trainer: another optimizer type, model or optimizer state of other shapes, other generators or callbacks; the message names what differs.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public History Resume(TrainingCheckpoint checkpoint, DataLoader train, int epochs, DataLoader? validation = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(train);
        CheckEpochs(epochs, nameof(Resume));
        CheckClipping();
        if (checkpoint.OptimizerType != Optimizer.GetType().Name)
            throw new ArgumentException($"Trainer.Resume: the checkpoint was saved with the optimizer {checkpoint.OptimizerType} but this trainer's is {Optimizer.GetType().Name}.", nameof(checkpoint));
        var generators = RunGenerators(train, validation);
        CheckGenerators(checkpoint.Generators, generators);
        var loaders = Loaders(train, validation);
        var roles = loaders.Select(l => l.Role).ToList();
        if (!roles.Order(StringComparer.Ordinal).SequenceEqual(checkpoint.DataOrders.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            throw new ArgumentException($"Trainer.Resume: the checkpoint holds the sample orders of the loaders [{string.Join(", ", checkpoint.DataOrders.Keys.Order(StringComparer.Ordinal))}] but this run has [{string.Join(", ", roles)}].", nameof(checkpoint));
        foreach (var (role, loader) in loaders) loader.CheckOrder(checkpoint.DataOrders[role], role);
        var callbacks = StatefulCallbacks();
        var keys = callbacks.Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        var savedKeys = checkpoint.Callbacks.Keys.Order(StringComparer.Ordinal).ToList();
        if (!keys.SequenceEqual(savedKeys, StringComparer.Ordinal))
            throw new ArgumentException($"Trainer.Resume: the checkpoint holds the state of the callbacks [{string.Join(", ", savedKeys)}] but this trainer's callbacks with state are [{string.Join(", ", keys)}]; add the same callbacks in the same order.", nameof(checkpoint));

        var modelBefore = ModelSnapshot.Take(Model);
        Model.LoadStateDict(checkpoint.Model);
        try
        {
            Optimizer.LoadStateDict(checkpoint.Optimizer);
        }
        catch
        {
            Model.LoadStateDict(modelBefore);
            throw;
        }
        foreach (var (role, generator) in generators) generator.SetState(checkpoint.Generators[role]);
        foreach (var (role, loader) in loaders) loader.RestoreOrder(checkpoint.DataOrders[role], role);

        (_train, _validation) = (train, validation);
        History = new History();
        foreach (var epoch in checkpoint.History) History.Add(epoch);
        History.StopReason = checkpoint.StopReason;
        (Epoch, Epochs, Step, BatchCount, StopTraining) = (checkpoint.Epoch, epochs, checkpoint.Step, train.BatchCount, checkpoint.StopReason is not null);
        return Run(train, validation, restoreCallbacks: () =>
        {
            foreach (var (key, callback) in callbacks) callback.LoadStateDict(checkpoint.Callbacks[key]);
        });
    }

    /// <summary>
    /// Captures the run between epochs (in <see cref="ITrainingCallback.OnEpochEnd"/>, or after a fit)
    /// so that <see cref="Resume"/> can continue it exactly; see <see cref="TrainingCheckpoint"/>.
    /// </summary>
    /// <param name="run">What to record about the run (settings, data file), or null for nothing.</param>
    /// <exception cref="InvalidOperationException">No fit has started, or an epoch is in progress.</exception>
    public TrainingCheckpoint CreateCheckpoint(IReadOnlyDictionary<string, string>? run = null)
    {
        if (_train is null)
            throw new InvalidOperationException("Trainer.CreateCheckpoint: no training run has started; call it from a callback's OnEpochEnd or after Fit.");
        if (History.Epochs.Count != Epoch)
            throw new InvalidOperationException($"Trainer.CreateCheckpoint: epoch {Epoch} is in progress; a checkpoint can only be taken between epochs (in OnEpochEnd or after Fit), where the run can be continued exactly.");
        var generators = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        foreach (var (role, generator) in RunGenerators(_train, _validation)) generators[role] = generator.GetState();
        var orders = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (role, loader) in Loaders(_train, _validation)) orders[role] = loader.Order;
        var callbacks = new Dictionary<string, CallbackState>(StringComparer.Ordinal);
        foreach (var (key, callback) in StatefulCallbacks()) callbacks[key] = callback.StateDict();
        return new TrainingCheckpoint(ModelSnapshot.Take(Model), Optimizer.GetType().Name, Optimizer.StateDict(), Epoch, Step,
            [.. History.Epochs], History.StopReason, generators, orders, callbacks,
            run is null ? new Dictionary<string, string>() : new Dictionary<string, string>(run, StringComparer.Ordinal));
    }

    /// <summary>The run's loaders by role: "train", and "validation" when there is one.</summary>
    private static List<(string Role, DataLoader Loader)> Loaders(DataLoader train, DataLoader? validation) =>
        validation is null ? [("train", train)] : [("train", train), ("validation", validation)];

    /// <summary>
    /// The generators whose draws shape the run, by role: the loaders' shuffling, the modules that
    /// draw dropout masks, and the thread's default generator; one generator may fill several roles.
    /// </summary>
    private List<(string Role, Generator Generator)> RunGenerators(DataLoader train, DataLoader? validation)
    {
        var generators = Loaders(train, validation).Select(l => (l.Role, l.Loader.Generator)).ToList();
        generators.Add(("default", NN.Init.DefaultGenerator));
        foreach (var (name, module) in Model.NamedModules())
            if (module is NN.IRandomModule random) generators.Add(("model." + (name.Length == 0 ? "(root)" : name), random.Generator));
        return generators;
    }

    /// <summary>Throws unless the saved roles are this run's, and roles that share a generator here were saved in one state.</summary>
    private static void CheckGenerators(IReadOnlyDictionary<string, ulong[]> saved, List<(string Role, Generator Generator)> current)
    {
        var roles = current.Select(g => g.Role).Order(StringComparer.Ordinal).ToList();
        if (!roles.SequenceEqual(saved.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            throw new ArgumentException($"Trainer.Resume: the checkpoint holds the generators [{string.Join(", ", saved.Keys.Order(StringComparer.Ordinal))}] but this run draws from [{string.Join(", ", roles)}]; build the model and loaders as for the saved run.", "checkpoint");
        foreach (var group in current.GroupBy(g => g.Generator, ReferenceEqualityComparer.Instance))
        {
            var shared = group.Select(g => g.Role).ToList();
            if (shared.Skip(1).Any(role => !saved[role].SequenceEqual(saved[shared[0]])))
                throw new ArgumentException($"Trainer.Resume: [{string.Join(", ", shared)}] share one generator in this run but had different states in the saved run; build the model and loaders with the same generators as for the saved run.", "checkpoint");
        }
    }

    /// <summary>The callbacks that keep state across epochs, by their checkpoint key ("1.SchedulerCallback").</summary>
    private List<KeyValuePair<string, IStatefulCallback>> StatefulCallbacks()
    {
        var stateful = new List<KeyValuePair<string, IStatefulCallback>>();
        for (int i = 0; i < _callbacks.Count; i++)
            if (_callbacks[i] is IStatefulCallback callback) stateful.Add(new($"{i}.{callback.GetType().Name}", callback));
        return stateful;
    }
}
