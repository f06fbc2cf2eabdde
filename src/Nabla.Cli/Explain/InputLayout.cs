using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The prepared features a model reads, as attributions name them: a table's by the preprocessing (a number column by its
/// name, a one-hot column as "colour=red"), an image's pixels as "pixel (r, c)" ("pixel (channel, r, c)" with several
/// channels), a text's token positions as "token i"; and the image shape the features form, when they are pixels.
/// </summary>
/// <param name="Names">One name per prepared feature, in the order the model reads them.</param>
/// <param name="Image">(channels, height, width) when the features are an image's pixels, for a heat map; null otherwise.</param>
internal sealed record InputLayout(IReadOnlyList<string> Names, int[]? Image)
{
    /// <summary>The layout of <paramref name="pipeline"/>'s inputs: an image when its preprocessing reads images or its network reads (channels, height, width).</summary>
    public static InputLayout Of(ModelPipeline pipeline)
    {
        var shape = pipeline.Preprocessor is ImagePreprocessor images ? [images.Channels, images.Height, images.Width]
            : pipeline.Model.InputShape.Count == 3 ? pipeline.Model.InputShape.ToArray() : null;
        IReadOnlyList<string> names = pipeline.Preprocessor switch
        {
            TabularPreprocessor tabular => tabular.FeatureNames,
            _ when shape is not null => PixelNames(shape),
            var other => [.. Enumerable.Range(0, other.SampleShape.Aggregate(1, (n, d) => n * d)).Select(i => $"token {i}")],
        };
        return new InputLayout(names, shape);
    }

    private static string[] PixelNames(int[] shape)
    {
        var (channels, height, width) = (shape[0], shape[1], shape[2]);
        var names = new string[channels * height * width];
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < height; r++)
                for (int col = 0; col < width; col++)
                    names[(c * height + r) * width + col] = channels == 1 ? $"pixel ({r}, {col})" : $"pixel ({c}, {r}, {col})";
        return names;
    }
}
