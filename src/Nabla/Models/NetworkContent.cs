using Nabla.Data;
using Nabla.IO;
using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A network in a model file: its architecture (the "architecture" metadata entry) and the
/// <see cref="Sequential"/> built from it, whose state dictionary is the file's tensors.
/// </summary>
internal sealed class NetworkContent : ModelContent
{
    private readonly DType _dtype;

    /// <summary>Joins a network and its architecture, checking that they match; the classes are checked against the outputs.</summary>
    public NetworkContent(ModelArchitecture architecture, Sequential network, ModelTask task, Func<string, Exception> invalid)
    {
        _dtype = CheckNetwork(architecture, network, invalid);
        Architecture = architecture;
        Network = network;
        Task = task;
    }

    /// <summary>The value of the "model" metadata key for networks.</summary>
    public const string KindName = "network";

    /// <summary>The architecture.</summary>
    public ModelArchitecture Architecture { get; }

    /// <summary>The network.</summary>
    public Sequential Network { get; }

    public override string Kind => KindName;

    public override ModelTask Task { get; }

    public override IReadOnlyList<int> InputShape => Architecture.InputShape;

    public override int Outputs => Architecture.OutputSize;

    public override long ParameterCount => Architecture.ParameterCount;

    /// <summary>Builds the network a file's architecture and tensors describe, having checked that the tensors are exactly the architecture's.</summary>
    public static NetworkContent Load(ModelArchitecture architecture, IReadOnlyDictionary<string, Tensor> tensors, ModelTask task, Func<string, Exception> invalid)
    {
        var dtype = CheckState(architecture, tensors, invalid);
        // The initial weights are overwritten at once; a generator of its own keeps loading a model
        // from advancing Init.DefaultGenerator, which would change what the caller's code draws next.
        var network = architecture.Build(dtype, new Generator(0));
        network.LoadStateDict(tensors);
        return new NetworkContent(architecture, network, task, invalid);
    }

    /// <summary>Fails when the network's parameters and one row's activations need more than <paramref name="limit"/>.</summary>
    public override void RequireMemory(MemoryLimit limit) => Architecture.Memory(_dtype).RowsPerBatch(1, limit);

    /// <summary>The fewest rows a prediction batch holds (when the rows are there): below it the matrix products lose their blocking.</summary>
    private const int MinimumBatchRows = 64;

    /// <summary>
    /// The outputs, computed in batches of as many rows as fit in <paramref name="limit"/>, at most <see cref="ModelFile.PredictBatchSize"/>,
    /// and, when batches of at least <see cref="MinimumBatchRows"/> can, no more than keep every array off the large-object heap
    /// (<see cref="NetworkMemory.RowsBelowLargeObjects"/>).
    /// </summary>
    public override Tensor Predict(Tensor features, MemoryLimit limit)
    {
        ArgumentNullException.ThrowIfNull(features);
        var shape = features.ShapeArray;
        if (shape.Length != Architecture.InputShape.Count + 1 || !shape.AsSpan(1).SequenceEqual([.. Architecture.InputShape]))
            throw new ShapeMismatchException($"ModelFile.Predict: expects features of shape [rows, {string.Join(", ", Architecture.InputShape)}], got {Shapes.Format(shape)}.");
        if (Architecture.ReadsTokenIds && features.DType != DType.Int32)
            throw new ArgumentException($"ModelFile.Predict: a text model reads Int32 token ids, got {features.DType}.", nameof(features));
        int rows = shape[0];
        var memory = Architecture.Memory(_dtype);
        int batchRows = Math.Min(memory.RowsPerBatch(ModelFile.PredictBatchSize, limit), memory.RowsBelowLargeObjects(MinimumBatchRows) ?? int.MaxValue);
        var output = Tensor.Zeros([rows, .. Architecture.OutputShape], _dtype);
        bool wasTraining = Network.IsTraining;
        Network.Eval();
        try
        {
            using var noGrad = Autograd.NoGrad();
            if (Architecture.ReadsTokenIds)
            {
                PredictTexts(features, batchRows, output);
                return output;
            }
            for (int start = 0; start < rows; start += batchRows)
            {
                int count = Math.Min(batchRows, rows - start);
                var batch = (count == rows ? features : features.Slice(0, start, count)).To(_dtype);
                var result = Network.Forward(batch);
                Array.Copy(result.Storage, 0, output.Storage, (long)start * Architecture.OutputSize, (long)count * Architecture.OutputSize);
            }
        }
        finally
        {
            if (wasTraining) Network.Train();
        }
        return output;
    }

    /// <summary>
    /// Runs rows of token ids in batches of texts of about the same length, shortest first, and puts each
    /// row's output back in its place: a batch runs only to its longest text, so grouping the lengths saves
    /// the steps that would be padding, and a text's output does not depend on the others in its batch.
    /// </summary>
    private void PredictTexts(Tensor ids, int batchRows, Tensor output)
    {
        int rows = ids.ShapeArray[0], steps = ids.ShapeArray[1], outputs = Architecture.OutputSize;
        var values = ids.Span<int>();
        var lengths = new int[rows];
        for (int row = 0; row < rows; row++) lengths[row] = values.Slice(row * steps, steps).LastIndexOfAnyExcept(0) + 1;
        int[] order = [.. Enumerable.Range(0, rows).OrderBy(row => lengths[row])];
        var source = ids.ToArray<int>();
        for (int start = 0; start < rows; start += batchRows)
        {
            int count = Math.Min(batchRows, rows - start);
            var batch = new int[count * steps];
            for (int i = 0; i < count; i++) Array.Copy(source, (long)order[start + i] * steps, batch, (long)i * steps, steps);
            var result = Network.Forward(new Tensor(batch, [count, steps], DType.Int32));
            for (int i = 0; i < count; i++) Array.Copy(result.Storage, (long)i * outputs, output.Storage, (long)order[start + i] * outputs, outputs);
        }
    }

    /// <summary>The logits, their argmax and their softmax (Float32).</summary>
    public override (Tensor Outputs, Tensor Indices, Tensor? Probabilities) Classify(Tensor features, MemoryLimit limit)
    {
        var outputs = Predict(features, limit);
        return (outputs, outputs.ArgMax(axis: 1), outputs.Softmax(axis: 1).To(DType.Float32));
    }

    public override Tensor ViewAsInput(Tensor rows) => Architecture.ViewAsInput(rows);

    public override IReadOnlyDictionary<string, Tensor> TensorsToSave()
    {
        CheckNetwork(Architecture, Network, problem => new InvalidOperationException($"ModelFile.Save: {problem}."));
        return Network.StateDict();
    }

    public override void AddMetadata(IDictionary<string, string> metadata) => metadata["architecture"] = Architecture.ToJson();

    /// <summary>
    /// Checks that <paramref name="network"/> is what the architecture builds, module by module with
    /// the same settings, and holds its tensors; returns the weights' type.
    /// </summary>
    private static DType CheckNetwork(ModelArchitecture architecture, Sequential network, Func<string, Exception> invalid)
    {
        if (network.Count != architecture.Layers.Count)
            throw invalid($"the network has {network.Count} modules but the architecture has {architecture.Layers.Count} layers");
        for (int i = 0; i < network.Count; i++)
            if (!architecture.Layers[i].Matches(network[i]))
                throw invalid($"module {i} of the network ({network[i].GetType().Name}) is not the architecture's layer {i}, {architecture.Layers[i].Description}");
        return CheckState(architecture, network.StateDict(), invalid);
    }

    /// <summary>
    /// Checks that <paramref name="state"/> holds exactly the architecture's tensors, with their
    /// shapes, the weights sharing one floating-point type; returns that type.
    /// </summary>
    private static DType CheckState(ModelArchitecture architecture, IReadOnlyDictionary<string, Tensor> state, Func<string, Exception> invalid)
    {
        var expected = architecture.State.ToList();
        var names = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var missing = expected.Where(t => !state.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        var unexpected = state.Keys.Where(name => !names.Contains(name)).ToList();
        if (missing.Count > 0) problems.Add($"tensors missing for the architecture: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"tensors the architecture does not have: {string.Join(", ", unexpected)}");
        (string Name, DType DType)? weights = null;
        foreach (var tensor in expected)
        {
            if (!state.TryGetValue(tensor.Name, out var actual)) continue;
            if (!actual.Shape.SequenceEqual(tensor.Shape))
                problems.Add($"tensor \"{tensor.Name}\" has shape {Shapes.Format(actual.ShapeArray)}, the architecture expects {Shapes.Format(tensor.Shape)}");
            if (tensor.IsCounter)
            {
                if (actual.DType != DType.Int32) problems.Add($"tensor \"{tensor.Name}\" is {SafetensorsDType.NameOf(actual.DType)}, expected I32");
            }
            else if (actual.DType == DType.Int32)
                problems.Add($"tensor \"{tensor.Name}\" is I32, expected F32 or F64");
            else if (weights is null)
                weights = (tensor.Name, actual.DType);
            else if (actual.DType != weights.Value.DType)
                problems.Add($"tensor \"{tensor.Name}\" is {SafetensorsDType.NameOf(actual.DType)} but \"{weights.Value.Name}\" is {SafetensorsDType.NameOf(weights.Value.DType)}: a model's weights share one type");
        }
        if (problems.Count > 0) throw invalid(string.Join("; ", problems));
        return weights?.DType ?? DType.Float32;
    }
}
