using Nabla.IO;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedulers;
using Nabla.Tests.Training;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// TrainingCheckpoint files: every field comes back exactly, any safetensors reader sees the
/// tensors under their prefixes, and a missing or garbled entry is an error naming the file and the entry.
/// </summary>
public sealed class TrainingCheckpointTests : TemporaryFolder
{
    /// <summary>A checkpoint after two epochs of a run with dropout, shuffling, validation and a plateau schedule.</summary>
    private static TrainingCheckpoint Checkpoint(Dictionary<string, string>? run = null)
    {
        var (x, y) = Blobs.Classification(40, seed: 4);
        var model = new Sequential(new Linear(4, 8, generator: new Generator(1)), new ReLU(), new Dropout(0.25, new Generator(2)), new Linear(8, 3, generator: new Generator(3)));
        var optimizer = new Adam(model.Parameters(), 0.02);
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer)
        {
            Callbacks = { new SchedulerCallback(new ReduceLROnPlateau(optimizer, patience: 1)) },
        };
        var (train, validation) = new DataLoader(x, y, 8, shuffle: true, generator: new Generator(6)).Split(0.25, seed: 1);
        trainer.Fit(train, 2, validation);
        trainer.Stop("stopped for the test");
        return trainer.CreateCheckpoint(run);
    }

    private static void AssertSameTensors(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.DType, actual[name].DType);
            Assert.Equal(tensor.Shape, actual[name].Shape);
            Assert.Equal(tensor.ToDoubleArray(), actual[name].ToDoubleArray());
        }
    }

    [Fact]
    public void SaveThenLoad_GivesBackEveryField()
    {
        var saved = Checkpoint(new Dictionary<string, string> { ["data"] = "blobs.csv", ["note"] = "Ωmega ✓ \"quoted\"" });
        string path = PathOf("checkpoint.safetensors");
        saved.Save(path);
        var loaded = TrainingCheckpoint.Load(path);

        AssertSameTensors(saved.Model, loaded.Model);
        AssertSameTensors(saved.Optimizer.Tensors, loaded.Optimizer.Tensors);
        Assert.Equal(saved.Optimizer.Scalars.OrderBy(p => p.Key), loaded.Optimizer.Scalars.OrderBy(p => p.Key));
        Assert.Equal("Adam", loaded.OptimizerType);
        Assert.Equal((2, 8L), (loaded.Epoch, loaded.Step));
        Assert.Equal(saved.History, loaded.History);
        Assert.All(loaded.History, e => Assert.NotNull(e.ValidationAccuracy));
        Assert.Equal("stopped for the test", loaded.StopReason);
        Assert.Equal(["default", "model.2", "train", "validation"], loaded.Generators.Keys.Order());
        foreach (var (role, state) in saved.Generators) Assert.Equal(state, loaded.Generators[role]);
        Assert.Equal(["train", "validation"], loaded.DataOrders.Keys.Order());
        foreach (var (role, order) in saved.DataOrders) Assert.Equal(order, loaded.DataOrders[role]);
        Assert.Equal(["0.SchedulerCallback"], loaded.Callbacks.Keys);
        Assert.Equal(saved.Callbacks["0.SchedulerCallback"].Scalars.OrderBy(p => p.Key), loaded.Callbacks["0.SchedulerCallback"].Scalars.OrderBy(p => p.Key));
        Assert.Empty(loaded.Callbacks["0.SchedulerCallback"].Tensors);
        Assert.Equal(saved.Run.OrderBy(p => p.Key), loaded.Run.OrderBy(p => p.Key));
    }

    [Fact]
    public void File_IsPlainSafetensors_WithPrefixedTensors()
    {
        var saved = Checkpoint();
        string path = PathOf("checkpoint.safetensors");
        saved.Save(path);
        saved.Save(path);
        var content = Safetensors.Read(path);

        Assert.Equal(["checkpoint.safetensors"], Directory.GetFiles(Folder).Select(Path.GetFileName));
        Assert.Contains("model.0.weight", content.Tensors.Keys);
        Assert.Contains("optimizer.0.exp_avg", content.Tensors.Keys);
        Assert.Equal(DType.Int32, content.Tensors["data.train"].DType);
        Assert.Equal("nabla.training_checkpoint", content.Metadata["format"]);
        Assert.Equal("2", content.Metadata["epoch"]);
    }

    [Fact]
    public void RequireRun_RefusesOtherSettings_AndNamesEachDifference()
    {
        var checkpoint = Checkpoint(new Dictionary<string, string> { ["lr"] = "0.01", ["data"] = "sales.csv" });
        checkpoint.RequireRun(new Dictionary<string, string> { ["data"] = "sales.csv", ["lr"] = "0.01" });
        var error = Assert.Throws<ArgumentException>(() => checkpoint.RequireRun(new Dictionary<string, string> { ["lr"] = "0.1", ["seed"] = "3" }));
        Assert.Equal("the checkpoint (after epoch 2) was saved by a run with other settings: data is not set now but \"sales.csv\" in the checkpoint; "
            + "lr is \"0.1\" now but \"0.01\" in the checkpoint; seed is \"3\" now but was not set in the checkpoint; resume with the same settings or start afresh. (Parameter 'settings')", error.Message);
    }

    [Fact]
    public void NonFiniteNumbers_AreStrings_AndComeBack()
    {
        string path = Rewrite(Checkpoint(), m => m["callbacks"] = """{"0.SchedulerCallback":{"last_epoch":2,"last_lr":0.02,"best":"Infinity","num_bad_epochs":0,"cooldown_counter":"NaN"}}""");
        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal(double.PositiveInfinity, loaded.Callbacks["0.SchedulerCallback"].Scalars["best"]);
        Assert.True(double.IsNaN(loaded.Callbacks["0.SchedulerCallback"].Scalars["cooldown_counter"]));
    }

    /// <summary>Saves <paramref name="checkpoint"/>, then writes its file again with the metadata changed by <paramref name="change"/>.</summary>
    private string Rewrite(TrainingCheckpoint checkpoint, Action<Dictionary<string, string>> change, Action<Dictionary<string, Tensor>>? changeTensors = null)
    {
        string path = PathOf("checkpoint.safetensors");
        checkpoint.Save(path);
        var content = Safetensors.Read(path);
        var metadata = new Dictionary<string, string>(content.Metadata);
        var tensors = new Dictionary<string, Tensor>(content.Tensors);
        change(metadata);
        changeTensors?.Invoke(tensors);
        Safetensors.Write(path, tensors, metadata);
        return path;
    }

    public static TheoryData<string, string?, string> GarbledMetadata() => new()
    {
        { "format", null, "format is missing from the header's __metadata__." },
        { "format", "pt", "format is \"pt\", expected \"nabla.training_checkpoint\" (is this a model file rather than a training checkpoint?)." },
        { "format_version", "2", "format_version is \"2\"; this version of Nabla reads version 1." },
        { "epoch", "-1", "epoch is -1, expected a whole number from 0 to 2147483647." },
        { "epoch", "3", "history holds 2 epochs but the checkpoint says 3 are finished." },
        { "step", "eight", "step is eight, expected a whole number from 0 to 9223372036854775807." },
        { "optimizer_type", "", "optimizer_type is empty." },
        { "optimizer_scalars", "{\"lr\":", "optimizer_scalars is not valid JSON (" },
        { "optimizer_scalars", "{\"lr\":true}", "optimizer_scalars[\"lr\"] is true, expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")." },
        { "history", "{}", "history is a JSON Object, expected an array." },
        { "history", "[{\"epoch\":1,\"loss\":0.5,\"accuracy\":null,\"validation_loss\":null,\"validation_accuracy\":null,\"learning_rate\":0.1}]", "history[0] has no \"duration_ticks\"." },
        { "history", "[{\"epoch\":2,\"loss\":0.5,\"accuracy\":null,\"validation_loss\":null,\"validation_accuracy\":null,\"learning_rate\":0.1,\"duration_ticks\":5}]", "history[0].epoch is 2, expected 1 (epochs are numbered from 1, in order)." },
        { "generators", "{\"train\":[\"1\",\"2\",\"3\"]}", "generators[\"train\"] is [\"1\",\"2\",\"3\"], expected an array of the 4 state words as decimal strings." },
        { "generators", "{\"train\":[\"1\",\"2\",\"3\",\"-4\"]}", "generators[\"train\"][3] is \"-4\", expected a 64-bit unsigned integer as a decimal string." },
        { "generators", "{\"train\":[\"0\",\"0\",\"0\",\"0\"]}", "generators[\"train\"] is all zeros, which no generator can be in." },
        { "callbacks", "[]", "callbacks is a JSON Array, expected an object." },
        { "run", "{\"seed\":3}", "run[\"seed\"] is a JSON Number, expected a string." },
    };

    [Theory]
    [MemberData(nameof(GarbledMetadata))]
    public void GarbledMetadata_IsAnErrorNamingTheFileAndTheEntry(string key, string? value, string expected)
    {
        string path = Rewrite(Checkpoint(), m =>
        {
            if (value is null) m.Remove(key);
            else m[key] = value;
        });
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.StartsWith($"{path}: not a valid training checkpoint: {expected}", error.Message);
    }

    [Fact]
    public void StrayOrMistypedTensors_AreErrors()
    {
        string path = Rewrite(Checkpoint(), _ => { }, t => t["weights"] = Tensor.Zeros([2]));
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.Equal($"{path}: not a valid training checkpoint: tensor \"weights\" has none of the prefixes \"model.\", \"optimizer.\", \"data.\", \"callbacks.<position>.<type>.\".", error.Message);

        path = Rewrite(Checkpoint(), _ => { }, t => t["callbacks.3.EarlyStopping.best.w"] = Tensor.Zeros([2]));
        error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.Equal($"{path}: not a valid training checkpoint: tensor \"callbacks.3.EarlyStopping.best.w\" belongs to a callback that has no entry in callbacks.", error.Message);

        path = Rewrite(Checkpoint(), _ => { }, t => t["data.train"] = Tensor.Zeros([30]));
        error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.Equal($"{path}: not a valid training checkpoint: tensor \"data.train\" is Float32 of shape [30], expected a vector of Int32 sample indices.", error.Message);

        path = Rewrite(Checkpoint(), _ => { }, t =>
        {
            foreach (var name in t.Keys.Where(n => n.StartsWith("model.", StringComparison.Ordinal)).ToList()) t.Remove(name);
        });
        error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.Equal($"{path}: not a valid training checkpoint: tensors hold no model weights (no name starts with \"model.\").", error.Message);
    }

    [Fact]
    public void AnOrderThatIsNotAPermutation_IsRefusedOnResume()
    {
        var checkpoint = TrainingCheckpoint.Load(Rewrite(Checkpoint(), _ => { }, t => t["data.train"] = Tensor.FromArray(Enumerable.Repeat(0, 30).ToArray())));
        var (x, y) = Blobs.Classification(40, seed: 4);
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.25, new Generator(2)), new Linear(8, 3));
        var optimizer = new Adam(model.Parameters(), 0.02);
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer) { Callbacks = { new SchedulerCallback(new ReduceLROnPlateau(optimizer, patience: 1)) } };
        var (train, validation) = new DataLoader(x, y, 8, shuffle: true, generator: new Generator(6)).Split(0.25, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => trainer.Resume(checkpoint, train, 4, validation));
        Assert.StartsWith("the train loader's saved order is not a permutation of 0 to 29 (sample 0 is repeated).", error.Message);
    }
}
