using System.Text.Json;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// One network of tools/fixtures/onnx_pytorch.py: its .onnx file and what PyTorch computed with it (outputs,
/// gradients of a weighted sum of the outputs, the loss before and after one SGD step), read from its JSON.
/// </summary>
internal sealed class PytorchFixture
{
    private PytorchFixture(string name, JsonElement root)
    {
        Name = name;
        OnnxPath = PathOf($"{name}.onnx");
        var input = root.GetProperty("input");
        Input = ReadsTokenIds(name) ? Tensor.FromArray([.. input.GetProperty("values").EnumerateArray().Select(v => v.GetInt32())], Shape(input)) : Read(input);
        Output = Read(root.GetProperty("output"));
        OutputWeights = Read(root.GetProperty("outputWeights"));
        Gradients = root.GetProperty("gradients").EnumerateObject().ToDictionary(p => p.Name, p => Read(p.Value));
        var fineTune = root.GetProperty("fineTune");
        Classes = fineTune.TryGetProperty("classes", out var classes) ? Tensor.FromArray([.. classes.EnumerateArray().Select(c => c.GetInt32())]) : null;
        Targets = fineTune.TryGetProperty("targets", out var targets) ? Read(targets) : null;
        LearningRate = fineTune.GetProperty("lr").GetDouble();
        LossBefore = fineTune.GetProperty("lossBefore").GetDouble();
        LossAfter = fineTune.GetProperty("lossAfter").GetDouble();
        Pixels = root.TryGetProperty("pixels", out var pixels) ? [.. pixels.GetProperty("values").EnumerateArray().Select(v => v.GetByte())] : null;
    }

    /// <summary>The networks the script writes.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp", "cnn", "cnn_avg", "mlp_softmax", "lstm", "gru", "mlp_regression"];

    /// <summary>Whether the network <paramref name="name"/> reads token ids: the text classifiers.</summary>
    public static bool ReadsTokenIds(string name) => name is "lstm" or "gru";

    /// <summary>The fixture's name: "mlp", "cnn", ...</summary>
    public string Name { get; }

    /// <summary>The path of the .onnx file.</summary>
    public string OnnxPath { get; }

    /// <summary>The input rows: Float32, or Int32 token ids for the text models.</summary>
    public Tensor Input { get; }

    /// <summary>PyTorch's outputs for <see cref="Input"/>.</summary>
    public Tensor Output { get; }

    /// <summary>The weights w of the scalar Σ output·w whose gradients <see cref="Gradients"/> holds.</summary>
    public Tensor OutputWeights { get; }

    /// <summary>d(Σ output·w)/d(parameter), by the parameter's name in the imported network's state.</summary>
    public IReadOnlyDictionary<string, Tensor> Gradients { get; }

    /// <summary>The target class of each row for the fine-tuning step of a classifier; null for the regression.</summary>
    public Tensor? Classes { get; }

    /// <summary>The target value of each row for the fine-tuning step of the regression; null for a classifier.</summary>
    public Tensor? Targets { get; }

    /// <summary>The learning rate of the plain SGD step.</summary>
    public double LearningRate { get; }

    /// <summary>The mean cross-entropy (the regression's mean squared error) before the step.</summary>
    public double LossBefore { get; }

    /// <summary>The mean cross-entropy (the regression's mean squared error) after the step.</summary>
    public double LossAfter { get; }

    /// <summary>For the image models, the bytes 0..255 whose values / 255 are <see cref="Input"/>; null otherwise.</summary>
    public byte[]? Pixels { get; }

    /// <summary>The path of a file the script wrote, in the test output folder.</summary>
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", file);

    /// <summary>Reads the fixture <paramref name="name"/>.</summary>
    public static PytorchFixture Load(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf($"{name}.json")));
        return new PytorchFixture(name, json.RootElement.Clone());
    }

    private static int[] Shape(JsonElement tensor) => [.. tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];

    private static Tensor Read(JsonElement tensor) =>
        Tensor.FromArray([.. tensor.GetProperty("values").EnumerateArray().Select(v => v.GetSingle())], Shape(tensor));
}
