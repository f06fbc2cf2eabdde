using Nabla.IO;
using Nabla.Models;

namespace Nabla.Tests.Models;

/// <summary>
/// The hostile model file of the hardening issue, rebuilt (28 KB): a CNN for 8×8 digits whose first
/// convolution pads the image by 5,000 on each side, 16 planes of 10,006² values per row (6 GB), which
/// a pooling as wide then shrinks to one value; its tensors are the shapes the architecture asks for.
/// </summary>
internal static class ConvolutionBomb
{
    /// <summary>The message's problem, after the file's name: the padding refused at load.</summary>
    public const string Problem = "not a valid Nabla model file: architecture: layer 0 (conv2d): padding 5000 must be smaller than the kernel size 3: "
        + "with more, the outer rows and columns of the output see only padding zeros.";

    private const string Architecture = "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":16,\"kernel_size\":3,\"stride\":1,\"padding\":5000},"
        + "{\"kind\":\"relu\"},{\"kind\":\"max_pool2d\",\"kernel_size\":10006,\"stride\":10006},"
        + "{\"kind\":\"conv2d\",\"in_channels\":16,\"out_channels\":32,\"kernel_size\":3,\"stride\":1,\"padding\":1},{\"kind\":\"relu\"},"
        + "{\"kind\":\"max_pool2d\",\"kernel_size\":1,\"stride\":1},{\"kind\":\"flatten\"},{\"kind\":\"linear\",\"in_features\":32,\"out_features\":10}]}";

    /// <summary>Writes the file to <paramref name="path"/>, with the preprocessing <paramref name="preprocessing"/> (JSON, or "null").</summary>
    public static void Write(string path, string preprocessing = "null")
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.Zeros(16, 1, 3, 3), ["0.bias"] = Tensor.Zeros(16), ["3.weight"] = Tensor.Zeros(32, 16, 3, 3),
            ["3.bias"] = Tensor.Zeros(32), ["7.weight"] = Tensor.Zeros(10, 32), ["7.bias"] = Tensor.Zeros(10),
        };
        Safetensors.Write(path, tensors, new Dictionary<string, string>
        {
            ["format"] = ModelFile.Format, ["format_version"] = "1", ["nabla_version"] = "0.1.0", ["architecture"] = Architecture,
            ["task"] = "classification", ["classes"] = "[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]",
            ["preprocessing"] = preprocessing, ["metrics"] = "{}", ["training"] = "{}",
        });
    }
}
