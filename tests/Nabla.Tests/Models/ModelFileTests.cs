using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// Model files: round trips that give bit-identical predictions and the same metadata, the plain
/// safetensors layout any reader sees, atomic saves, and every kind of damaged or hostile file,
/// which must only ever be a <see cref="ModelFileException"/> or, when the damage leaves a
/// consistent file, the right model.
/// </summary>
public sealed class ModelFileTests : TemporaryFolder
{
    private static readonly Dictionary<string, double> SomeMetrics = new() { ["accuracy"] = 0.9375, ["log_loss"] = 0.21, ["r2"] = double.NaN };

    private static readonly Dictionary<string, string> SomeTraining = new()
    {
        ["model"] = "mlp", ["optimizer"] = "adam", ["epochs"] = "20", ["learning_rate"] = "0.001", ["batch_size"] = "32",
        ["seed"] = "42", ["samples"] = "150", ["seconds"] = "1.5", ["data"] = "iris.csv",
    };

    private const string SomePreprocessing = "{\"scaler\": {\"mean\": [1.5, 2], \"scale\": [0.5, 1]}, \"target\": \"species\"}";

    public static TheoryData<string> Architectures() => ["linear", "mlp", "cnn"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void RoundTrip_GivesBitIdenticalPredictions_AndTheSameMetadata(string kind)
    {
        var (model, features) = Trained(kind);
        string path = PathOf("model.safetensors");

        model.Save(path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(model.Predict(features).ToArray<float>(), loaded.Predict(features).ToArray<float>());
        Assert.Equal(model.Architecture!.ToJson(), loaded.Architecture!.ToJson());
        Assert.Equal(model.Task, loaded.Task);
        Assert.Equal(model.Classes, loaded.Classes);
        Assert.Equal(model.Preprocessing, loaded.Preprocessing);
        Assert.Equal(model.Metrics, loaded.Metrics);
        Assert.Equal(model.Training, loaded.Training);
        Assert.Equal(ModelFile.CurrentNablaVersion, loaded.NablaVersion);
        foreach (var (name, tensor) in model.Network!.StateDict())
        {
            var read = loaded.Network!.StateDict()[name];
            Assert.Equal(tensor.DType, read.DType);
            Assert.Equal(tensor.Shape, read.Shape);
            Assert.Equal(tensor.DType == DType.Int32 ? tensor.ToArray<int>().Select(i => (double)i) : tensor.ToArray<float>().Select(f => (double)f),
                read.DType == DType.Int32 ? read.ToArray<int>().Select(i => (double)i) : read.ToArray<float>().Select(f => (double)f));
        }
        Assert.Equal([PathOf("model.safetensors")], Directory.GetFiles(Folder));
    }

    [Fact]
    public void RoundTrip_OfAFloat64RegressionModel_KeepsTheTypeAndHasNoClasses()
    {
        var architecture = ModelArchitecture.Mlp(3, [5], Activation.Sigmoid, 2);
        var model = new ModelFile(architecture, architecture.Build(DType.Float64, new Generator(3)), ModelTask.Regression);
        var features = Tensor.Randn([4, 3], new Generator(4), DType.Float64);
        string path = PathOf("regression.safetensors");

        model.Save(path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(ModelTask.Regression, loaded.Task);
        Assert.Null(loaded.Classes);
        Assert.Null(loaded.Preprocessing);
        Assert.Empty(loaded.Metrics);
        Assert.Equal(DType.Float64, loaded.Network!.StateDict()["0.weight"].DType);
        Assert.Equal(model.Predict(features).ToArray<double>(), loaded.Predict(features).ToArray<double>());
    }

    private sealed record ReferenceModel(double[][] Features, double[][] Logits);

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void Load_RefusesANonFiniteWeight_NamingTheTensorAndElement(float bad, string shown)
    {
        var model = TrainedModels.Iris();
        var state = new Dictionary<string, Tensor>(model.Network!.StateDict());
        float[] weight = state["2.weight"].ToArray<float>();
        weight[5] = bad;
        state["2.weight"] = Tensor.FromArray(weight, state["2.weight"].ShapeArray);
        model.Network.LoadStateDict(state);
        string path = PathOf("non-finite.safetensors");
        model.Save(path);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));

        Assert.Equal($"{path}: not a valid Nabla model file: tensor \"2.weight\" holds {shown} at element 5; a trained model's values are all finite.", error.Message);
    }

    [Fact]
    public void FileWrittenByAnotherProgram_LoadsAndPredictsAsItsOwnForwardPass()
    {
        // tools/fixtures/model_file_reference.py: Linear(4, 5), BatchNorm1d(5), ReLU, Linear(5, 3), written and run in plain Python.
        var reference = FixtureFile.Load<ReferenceModel>("model_file_reference.json");

        var model = ModelFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "model_file_reference.safetensors"));
        var logits = model.Predict(Tensor.FromArray([.. reference.Features.SelectMany(row => row).Select(v => (float)v)], reference.Features.Length, 4));

        Assert.Equal(ModelTask.Classification, model.Task);
        Assert.Equal(["cat", "dog", "bird"], model.Classes);
        Assert.Equal("0.0.1-reference", model.NablaVersion);
        Assert.Equal(0.75, model.Metrics["accuracy"]);
        Assert.Equal("3", model.Training["epochs"]);
        Assert.Equal(17, model.Network!.StateDict()["1.num_batches_tracked"].ToArray<int>()[0]);
        double[] expected = [.. reference.Logits.SelectMany(row => row)];
        float[] actual = logits.ToArray<float>();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
    }

    [Fact]
    public void File_IsPlainSafetensors_WithTheWeightsWhereTheHeaderSays()
    {
        var (model, _) = Trained("mlp");
        string path = PathOf("model.safetensors");
        model.Save(path);

        // Read as any safetensors reader would: an 8-byte little-endian length, a JSON header, then raw data.
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        long dataStart = 8 + headerLength;
        var weight = header.RootElement.GetProperty("4.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([6, 8], weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        long begin = weight.GetProperty("data_offsets")[0].GetInt64(), end = weight.GetProperty("data_offsets")[1].GetInt64();
        float[] values = new float[(end - begin) / 4];
        Buffer.BlockCopy(bytes, (int)(dataStart + begin), values, 0, (int)(end - begin));
        Assert.Equal(model.Network!.StateDict()["4.weight"].ToArray<float>(), values);

        var metadata = header.RootElement.GetProperty("__metadata__");
        Assert.Equal(["format", "format_version", "nabla_version", "model", "architecture", "task", "classes", "class_type", "preprocessing", "metrics", "training"],
            metadata.EnumerateObject().Select(p => p.Name));
        Assert.Equal("nabla-model", metadata.GetProperty("format").GetString());
        Assert.Equal("2", metadata.GetProperty("format_version").GetString());
        Assert.Equal("network", metadata.GetProperty("model").GetString());
        Assert.Equal("string", metadata.GetProperty("class_type").GetString());
        Assert.Equal("classification", metadata.GetProperty("task").GetString());
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", metadata.GetProperty("classes").GetString());
        Assert.Equal("{\"accuracy\":0.9375,\"log_loss\":0.21,\"r2\":\"NaN\"}", metadata.GetProperty("metrics").GetString());
        Assert.Equal(SomePreprocessing, metadata.GetProperty("preprocessing").GetString());
        Assert.Equal(model.Architecture!.ToJson(), metadata.GetProperty("architecture").GetString());
    }

    [Fact]
    public void Predict_RunsInEvalModeInBatches_AndRestoresTrainingMode()
    {
        var (model, _) = Trained("mlp");
        var features = Tensor.Randn([2500, 4], new Generator(9));
        model.Network!.Train();

        var predictions = model.Predict(features);

        Assert.True(model.Network!.IsTraining);
        Assert.False(predictions.RequiresGrad);
        Assert.Equal([2500, 3], predictions.Shape);
        model.Network!.Eval();
        Tensor expected;
        using (Nabla.Autograd.NoGrad()) expected = model.Network!.Forward(features);
        // Rows past the first batch of 1,024 land in their place, whatever the batch they ran in.
        var (got, want) = (predictions.ToArray<float>(), expected.ToArray<float>());
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 1e-5f);
        Assert.Equal([0, 3], model.Predict(Tensor.Zeros(0, 4)).Shape);
    }

    [Fact]
    public void Predict_RejectsFeaturesOfTheWrongShape()
    {
        var (model, _) = Trained("cnn");

        var e = Assert.Throws<ShapeMismatchException>(() => model.Predict(Tensor.Zeros(3, 64)));

        Assert.Contains("expects features of shape [rows, 1, 8, 8], got [3, 64]", e.Message);
    }

    [Fact]
    public void Constructor_ChecksTheClassesThePreprocessingAndTheNetwork()
    {
        var architecture = ModelArchitecture.Linear(4, 3);
        var network = architecture.Build();

        Assert.Contains("there are 2 class labels but the network has 3 outputs",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, network, ModelTask.Classification, ["a", "b"])).Message);
        Assert.Contains("a classification model needs its class labels",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, network, ModelTask.Classification)).Message);
        Assert.Contains("the class label \"a\" appears twice",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, network, ModelTask.Classification, ["a", "b", "a"])).Message);
        Assert.Contains("a regression model has no classes",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, network, ModelTask.Regression, ["a", "b", "c"])).Message);
        Assert.Contains("the preprocessing is not a JSON object",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, network, ModelTask.Regression, preprocessing: "[1, 2]")).Message);
        Assert.Contains("module 0 of the network (Linear) is not the architecture's layer 0, Linear(4 → 3)",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, ModelArchitecture.Linear(5, 3).Build(), ModelTask.Regression)).Message);
        Assert.Contains("module 0 of the network (Linear) is not the architecture's layer 0, Linear(4 → 3)",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, new Sequential(new Linear(4, 3, bias: false)), ModelTask.Regression)).Message);
        Assert.Contains("the network has 2 modules but the architecture has 1 layers",
            Assert.Throws<ArgumentException>(() => new ModelFile(architecture, new Sequential(new Linear(4, 3), new ReLU()), ModelTask.Regression)).Message);

        var mlp = ModelArchitecture.Mlp(4, [6], Activation.Relu, 2, dropout: 0.5, batchNorm: true);
        Assert.Contains("module 2 of the network (Tanh) is not the architecture's layer 2, ReLU",
            Assert.Throws<ArgumentException>(() => new ModelFile(mlp, new Sequential(new Linear(4, 6), new BatchNorm1d(6), new Tanh(), new Dropout(0.5), new Linear(6, 2)), ModelTask.Regression)).Message);
        Assert.Contains("module 1 of the network (BatchNorm1d) is not the architecture's layer 1, BatchNorm1d(6)",
            Assert.Throws<ArgumentException>(() => new ModelFile(mlp, new Sequential(new Linear(4, 6), new BatchNorm1d(6, eps: 1e-3), new ReLU(), new Dropout(0.5), new Linear(6, 2)), ModelTask.Regression)).Message);
        Assert.Contains("module 3 of the network (Dropout) is not the architecture's layer 3, Dropout(p=0.5)",
            Assert.Throws<ArgumentException>(() => new ModelFile(mlp, new Sequential(new Linear(4, 6), new BatchNorm1d(6), new ReLU(), new Dropout(0.2), new Linear(6, 2)), ModelTask.Regression)).Message);
        var cnn = ModelArchitecture.Cnn(1, 8, 8, 3);
        var strided = new Sequential([new Conv2d(1, 16, 3, stride: 2, padding: 1), .. cnn.Build().Skip(1)]);
        Assert.Contains("module 0 of the network (Conv2d) is not the architecture's layer 0, Conv2d(1 → 16, 3×3, stride 1, padding 1)",
            Assert.Throws<ArgumentException>(() => new ModelFile(cnn, strided, ModelTask.Regression)).Message);
        Assert.Equal(3, new ModelFile(cnn, cnn.Build(), ModelTask.Classification, ["a", "b", "c"]).Architecture!.OutputSize);
    }

    [Fact]
    public void FailedSave_LeavesTheExistingFileWhole_AndNoTemporaryFile()
    {
        var (model, _) = Trained("linear");
        string path = PathOf("model.safetensors");
        model.Save(path);
        byte[] before = File.ReadAllBytes(path);

        // A folder that does not exist: nothing can be written.
        Assert.Throws<DirectoryNotFoundException>(() => model.Save(Path.Combine(Folder, "missing", "model.safetensors")));
        // The target is a folder: the complete temporary file cannot be renamed over it and must go.
        Directory.CreateDirectory(PathOf("taken"));
        File.WriteAllText(PathOf("taken/keep.txt"), "kept");
        Assert.ThrowsAny<IOException>(() => model.Save(PathOf("taken")));
        // The network no longer matches its architecture: the save stops before touching the file.
        model.Network!.Add(new Linear(3, 3));
        Assert.Throws<InvalidOperationException>(() => model.Save(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal("kept", File.ReadAllText(PathOf("taken/keep.txt")));
        Assert.Equal([path], Directory.GetFiles(Folder));
        Assert.Equal([PathOf("taken/keep.txt")], Directory.GetFiles(PathOf("taken")));
    }

    [Fact]
    public void EveryTruncation_OfTheHeaderAndASpreadOfTheData_IsAModelFileException()
    {
        var (model, _) = Trained("linear");
        string path = PathOf("model.safetensors");
        model.Save(path);
        byte[] whole = File.ReadAllBytes(path);
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(whole);
        string cut = PathOf("cut.safetensors");

        var lengths = Enumerable.Range(0, dataStart + 1).Concat(Enumerable.Range(0, 50).Select(i => dataStart + (whole.Length - dataStart) * i / 50)).Append(whole.Length - 1);
        foreach (int length in lengths.Distinct())
        {
            File.WriteAllBytes(cut, whole[..length]);
            var e = Record.Exception(() => ModelFile.Load(cut));
            if (e is not ModelFileException fileError)
            {
                Assert.Fail($"cut at {length} of {whole.Length}: {e?.GetType().Name ?? "loaded"} {e?.Message}");
                return;
            }
            Assert.Contains(cut, fileError.Message);
        }
    }

    [Fact]
    public void FlippedBytesInTheHeader_AreAModelFileException_OrLoadTheRightModel()
    {
        var (model, features) = Trained("linear");
        string path = PathOf("model.safetensors");
        model.Save(path);
        float[] expected = model.Predict(features).ToArray<float>();

        // A flip in the padding, a label or a training note can leave a consistent file: it must hold the same network.
        int loads = HeaderFlips.LoadEach(path, PathOf("corrupt.safetensors"), 1, loaded => Assert.Equal(expected, loaded.Predict(features).ToArray<float>()));

        Assert.InRange(loads, 1, HeaderFlips.HeaderLength(path));
    }

    public static TheoryData<string, string> BadMetadata() => new()
    {
        { "format", "its metadata has no \"format\": it is a safetensors file but not a Nabla model" },
        { "format=pt", "its format is \"pt\", expected \"nabla-model\"" },
        { "format_version=3", "its format version is \"3\", newer than this Nabla reads (1 and 2); it was written by Nabla " },
        { "format_version=3", "update Nabla to load it" },
        { "format_version=1.5", "its format version is \"1.5\"; this Nabla reads versions 1 and 2" },
        { "model", "its metadata has no \"model\"" },
        { "model=forest", "its model is \"forest\", which this Nabla does not know; the kinds are network, linear_regression, ridge" },
        { "class_type=int", "its class type is \"int\", but a network's classes are strings" },
        { "class_type", "its metadata has no \"class_type\"" },
        { "nabla_version", "its metadata has no \"nabla_version\"" },
        { "architecture={\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":5,\"out_features\":3}]}", "architecture: layer 0 (linear): expects 5 input features, gets 4" },
        { "architecture=nonsense", "architecture: it is not valid JSON" },
        { "task=clustering", "its task is \"clustering\", expected \"classification\" or \"regression\"" },
        { "classes=[\"a\",\"b\"]", "there are 2 class labels but the network has 3 outputs" },
        { "classes=null", "a classification model needs its class labels" },
        { "classes=[1,2,3]", "its \"classes\" must hold strings, but item 0 is 1" },
        { "classes={\"a\":1}", "its \"classes\" is a JSON Object, expected an array" },
        { "task=regression", "a regression model has no classes, but classes were given" },
        { "preprocessing=[1]", "the preprocessing is not a JSON object" },
        { "metrics={\"accuracy\":\"high\"}", "its metric \"accuracy\" is \"high\", not a number" },
        { "metrics={\"a\":1,\"a\":2}", "its \"metrics\" names \"a\" twice" },
        { "training={\"epochs\":20}", "its training entry \"epochs\" is 20, not a string" },
        { "training=", "its \"training\" is not valid JSON" },
        { "architecture={\"input_shape\":[4],\"layers\":[{\"kind\":\"lin\\ud800ear\"}]}", "architecture: it is not valid JSON (a string is not valid Unicode text" },
        { "classes=[\"\\udc00\",\"b\",\"c\"]", "its \"classes\" is not valid JSON (a string is not valid Unicode text" },
        { "preprocessing={\"\\ud800\":1}", "the preprocessing is not a JSON object" },
        { "architecture={\"input_shape\":[],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":3}]}", "architecture: input_shape must be a non-empty list of positive sizes, got []" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public void BadMetadata_IsAModelFileException_NamingTheFileAndTheProblem(string change, string problem)
    {
        string path = SavedLinear();
        string[] parts = change.Split('=', 2);

        string broken = Rewrite(path, header =>
        {
            var metadata = header["__metadata__"]!.AsObject();
            if (parts.Length == 1) metadata.Remove(parts[0]);
            else metadata[parts[0]] = parts[1];
        });
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(broken));

        Assert.StartsWith($"{broken}: not a valid Nabla model file: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    public static TheoryData<string, string> BadTensors() => new()
    {
        { "wrong shape", "tensor \"0.weight\" has shape [4, 3], the architecture expects [3, 4]" },
        { "missing", "tensors missing for the architecture: 0.bias" },
        { "extra", "tensors the architecture does not have: 1.weight" },
        { "wrong dtype", "tensor \"0.bias\" is F64 but \"0.weight\" is F32: a model's weights share one type" },
        { "integer weights", "tensor \"0.weight\" is I32, expected F32 or F64" },
        { "unknown dtype", "tensor \"0.bias\" has dtype BF16, which Nabla cannot load" },
        { "overlap", "overlaps the tensor before it" },
        { "out of range", "the tensors need 60 bytes of data but the file has 56: it is truncated" },
        { "gap", "there is a gap in the data before \"0.bias\"" },
        { "negative offset", "tensor \"0.bias\" needs \"data_offsets\" [begin, end] with 0 <= begin <= end" },
        { "negative shape", "tensor \"0.weight\" has shape [-3,4]: dimension 0 is not a non-negative integer" },
        { "too long", "the file has 4 bytes of data after the last tensor" },
    };

    [Theory]
    [MemberData(nameof(BadTensors))]
    public void BadTensors_AreAModelFileException_NamingThem(string change, string problem)
    {
        // Linear(4, 3): "0.weight" F32 [3, 4] at bytes 0..48, then "0.bias" F32 [3] at 48..60.
        string path = SavedLinear();
        byte[] data = File.ReadAllBytes(path)[(8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)))..];
        Assert.Equal(60, data.Length);

        string broken = change switch
        {
            "wrong shape" => Rewrite(path, h => h["0.weight"]!["shape"] = new JsonArray(4, 3)),
            "missing" => Rewrite(path, h => h.Remove("0.bias"), data[..48]),
            "extra" => Rewrite(path, h => h["1.weight"] = Entry("F32", [1], 60, 64), [.. data, 0, 0, 0, 0]),
            "wrong dtype" => Rewrite(path, h => h["0.bias"] = Entry("F64", [3], 48, 72), [.. data, .. new byte[12]]),
            "integer weights" => Rewrite(path, h => h["0.weight"]!["dtype"] = "I32"),
            "unknown dtype" => Rewrite(path, h => h["0.bias"] = Entry("BF16", [3], 48, 54), data[..54]),
            "overlap" => Rewrite(path, h => h["0.bias"]!["data_offsets"] = new JsonArray(44, 56), data[..56]),
            "out of range" => Rewrite(path, _ => { }, data[..56]),
            "gap" => Rewrite(path, h => h["0.bias"]!["data_offsets"] = new JsonArray(52, 64), [.. data, 0, 0, 0, 0]),
            "negative offset" => Rewrite(path, h => h["0.bias"]!["data_offsets"] = new JsonArray(-12, 0)),
            "negative shape" => Rewrite(path, h => h["0.weight"]!["shape"] = new JsonArray(-3, 4)),
            "too long" => Rewrite(path, _ => { }, [.. data, 1, 2, 3, 4]),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "no such change"),
        };
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(broken));

        Assert.Contains(broken, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void HugeOrShortHeaders_AndFilesThatAreNotModels_AreModelFileExceptions()
    {
        string huge = WriteBytes("huge.safetensors", [.. BitConverter.GetBytes(200_000_000UL), .. "{}"u8]);
        string endless = WriteBytes("endless.safetensors", [.. BitConverter.GetBytes(ulong.MaxValue), .. "{}"u8]);
        string tiny = WriteBytes("tiny.safetensors", [1, 2, 3]);
        string plain = PathOf("plain.safetensors");
        Safetensors.Write(plain, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones([2]) });

        Assert.Contains("above the limit of 100000000", Assert.Throws<ModelFileException>(() => ModelFile.Load(huge)).Message);
        Assert.Contains("above the limit of 100000000", Assert.Throws<ModelFileException>(() => ModelFile.Load(endless)).Message);
        Assert.Contains("too short for the 8-byte header length", Assert.Throws<ModelFileException>(() => ModelFile.Load(tiny)).Message);
        Assert.Contains("not a Nabla model", Assert.Throws<ModelFileException>(() => ModelFile.Load(plain)).Message);
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(PathOf("absent.safetensors")));
    }

    /// <summary>A trained-looking model of each kind (BatchNorm statistics moved by training passes) and features for it.</summary>
    private static (ModelFile Model, Tensor Features) Trained(string kind)
    {
        var g = new Generator(11);
        var (architecture, features) = kind switch
        {
            "linear" => (ModelArchitecture.Linear(4, 3), Tensor.Randn([7, 4], g)),
            "mlp" => (ModelArchitecture.Mlp(4, [8, 6], Activation.Relu, 3, dropout: 0.25, batchNorm: true), Tensor.Randn([7, 4], g)),
            _ => (ModelArchitecture.Cnn(1, 8, 8, 3), Tensor.Randn([5, 1, 8, 8], g)),
        };
        var network = architecture.Build(generator: g);
        network.Train();
        for (int step = 0; step < 3; step++) network.Forward(Tensor.Randn([16, .. architecture.InputShape], g));
        return (new ModelFile(architecture, network, ModelTask.Classification, ["setosa", "versicolor", "virginica"], SomePreprocessing, SomeMetrics, SomeTraining), features);
    }

    private string SavedLinear()
    {
        string path = PathOf("linear.safetensors");
        Trained("linear").Model.Save(path);
        return path;
    }

    private static JsonObject Entry(string dtype, int[] shape, long begin, long end) => new()
    {
        ["dtype"] = dtype,
        ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
        ["data_offsets"] = new JsonArray(begin, end),
    };

    [Fact]
    public void ConvolutionPaddedFarBeyondItsKernel_IsRefusedAtLoad_WithoutAllocatingItsActivations()
    {
        string bomb = PathOf("conv_bomb.safetensors");
        ConvolutionBomb.Write(bomb);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(bomb));

        Assert.Equal($"{bomb}: {ConvolutionBomb.Problem}", e.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    /// <summary>A copy of the file with its JSON header edited and, when given, other data bytes: a file crafted by hand.</summary>
    private string Rewrite(string path, Action<JsonObject> edit, byte[]? data = null)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(bytes.AsSpan(8, headerLength))!.AsObject();
        edit(header);
        byte[] text = Encoding.UTF8.GetBytes(header.ToJsonString());
        return WriteBytes($"crafted-{Guid.NewGuid():N}.safetensors", [.. BitConverter.GetBytes((ulong)text.Length), .. text, .. data ?? bytes[(8 + headerLength)..]]);
    }
}
