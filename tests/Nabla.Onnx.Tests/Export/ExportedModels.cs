using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Models to export: networks with random weights (and random running statistics in their batch normalisation, so folding is
/// tested on values far from the identity) over a table prepared as <c>nabla train</c> prepares it, and a table of numbers, text
/// categories and missing cells written to a temporary CSV file.
/// </summary>
internal static class ExportedModels
{
    /// <summary>A network of <paramref name="architecture"/> over the table at <paramref name="path"/> (target <paramref name="target"/>), joined with its preprocessing.</summary>
    public static ModelPipeline Network(string path, string target, Func<int, int, ModelArchitecture> architecture, MissingValuePolicy missing = MissingValuePolicy.Error, int seed = 1, DType dtype = DType.Float32)
    {
        var table = Csv.Read(path);
        var preprocessor = TabularPreprocessor.Fit(table, target, [.. Enumerable.Range(0, table.RowCount)], new TabularOptions(Missing: missing));
        bool classifier = preprocessor.Task == ModelTask.Classification;
        var spec = architecture(preprocessor.SampleShape[0], classifier ? preprocessor.ClassLabels.Count : 1);
        var network = spec.Build(dtype, new Generator((ulong)seed));
        Randomise(network, new Generator((ulong)seed + 100));
        var model = new ModelFile(spec, network, preprocessor.Task, classifier ? preprocessor.ClassLabels : null, preprocessor.ToJson(),
            new Dictionary<string, double> { ["accuracy"] = 0.5 }, new Dictionary<string, string> { ["data"] = Path.GetFileName(path), ["seed"] = "1" });
        return ModelPipeline.Create(model, preprocessor);
    }

    /// <summary>Gives every batch normalisation running statistics and an affine part far from the identity.</summary>
    private static void Randomise(Sequential network, Generator generator)
    {
        var state = new Dictionary<string, Tensor>(network.StateDict());
        foreach (var name in state.Keys.ToList())
        {
            var tensor = state[name];
            Func<double>? draw = name.EndsWith(".running_mean", StringComparison.Ordinal) ? generator.NextNormal
                : name.EndsWith(".running_var", StringComparison.Ordinal) ? () => 0.2 + 2 * generator.NextDouble()
                : network[int.Parse(name[..name.IndexOf('.')], CultureInfo.InvariantCulture)] is BatchNorm1d
                    ? name.EndsWith(".weight", StringComparison.Ordinal) ? () => 0.5 + generator.NextDouble() : () => 0.3 * generator.NextNormal()
                    : null;
            if (draw is null || tensor.DType == DType.Int32) continue;
            state[name] = Tensor.FromArray([.. Enumerable.Range(0, tensor.Length).Select(_ => draw())], [.. tensor.Shape]).To(tensor.DType);
        }
        network.LoadStateDict(state);
    }

    /// <summary>
    /// Writes a table of 120 rows to <paramref name="path"/>: numbers "size" and "weight", text "colour" (red, green, blue) and
    /// "shape" (round, square), the target "kind" (a, b, c) from a noisy rule; with <paramref name="missing"/>, some cells of
    /// each feature column empty or NA.
    /// </summary>
    public static void WriteMixedTable(string path, bool missing)
    {
        var generator = new Generator(5);
        string[] colours = ["red", "green", "blue"], shapes = ["round", "square"];
        var lines = new List<string> { "size,colour,weight,shape,kind" };
        for (int row = 0; row < 120; row++)
        {
            double size = 10 + 3 * generator.NextNormal(), weight = 50 + 20 * generator.NextDouble();
            string colour = colours[row % 3], shape = shapes[(row / 3) % 2];
            double score = 0.3 * (size - 10) + (colour == "red" ? 1 : 0) - 0.05 * (weight - 60) + 0.5 * generator.NextNormal();
            string kind = score < -0.5 ? "a" : score < 0.7 ? "b" : "c";
            string Cell(string text, int every, string marker) => missing && row % every == 3 ? marker : text;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Cell(size.ToString("R", CultureInfo.InvariantCulture), 11, "")},{Cell(colour, 13, "NA")},{Cell(weight.ToString("R", CultureInfo.InvariantCulture), 17, "nan")},{Cell(shape, 19, "")},{kind}"));
        }
        File.WriteAllLines(path, lines);
    }
}
