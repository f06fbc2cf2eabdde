using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// A legitimate network whose activations dwarf its weights, as a file can describe: an 8×8 image of
/// 64 pixel columns, a 3×3 convolution (padding 1) to 256 channels (2,560 parameters, but 16,384
/// values, 64 KB, per row), ReLU, one 8×8 max pooling, and a linear layer to three classes; with the
/// CSV data it reads (columns p0 to p63 and "label", classes a, b and c).
/// </summary>
internal static class WideConvolution
{
    /// <summary>The channels of the convolution.</summary>
    public const int Channels = 256;

    public static ModelArchitecture Architecture { get; } = new([1, 8, 8],
    [
        new Conv2dSpec(1, Channels, 3, 1, 1), new ActivationSpec(Activation.Relu), new MaxPool2dSpec(8, 8),
        new FlattenSpec(), new LinearSpec(Channels, 3),
    ]);

    /// <summary>CSV text of <paramref name="rows"/> rows of random pixels and a label.</summary>
    public static string Csv(int rows)
    {
        var random = new Random(3);
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, 64).Select(p => $"p{p}"))).Append(",label\n");
        for (int r = 0; r < rows; r++)
        {
            for (int p = 0; p < 64; p++) text.Append(random.Next(17).ToString(CultureInfo.InvariantCulture)).Append(',');
            text.Append("abc"[r % 3]).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The untrained network (its weights from a seed) with the preprocessing fitted on <paramref name="csv"/>.</summary>
    public static (ModelFile Model, TabularPreprocessor Preprocessor) Model(string csv)
    {
        var table = Nabla.Data.Csv.Read(new StringReader(csv), "wide.csv");
        var preprocessor = TabularPreprocessor.Fit(table, "label", [.. Enumerable.Range(0, table.RowCount)]);
        var network = Architecture.Build(generator: new Generator(4));
        return (new ModelFile(Architecture, network, ModelTask.Classification, preprocessor.ClassLabels, preprocessor.ToJson()), preprocessor);
    }
}
