using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// Model files for the commands that read them, made once per test class as <c>nabla train</c> makes
/// them (<see cref="TrainedModels"/>): iris (text labels), diabetes (regression) and a CNN on a small
/// folder of IDX images, which is kept beside them as data.
/// </summary>
public sealed class ModelFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nabla-models-").FullName;

    public ModelFiles()
    {
        TrainedModels.Iris().Save(Iris);
        TrainedModels.Diabetes().Save(Diabetes);
        TrainedModels.Images(ImageFolder).Save(Images);
    }

    /// <summary>The iris classifier (classes setosa, versicolor, virginica).</summary>
    public string Iris => Path.Combine(_folder, "iris.safetensors");

    /// <summary>The diabetes regression model.</summary>
    public string Diabetes => Path.Combine(_folder, "diabetes.safetensors");

    /// <summary>The image classifier, trained on <see cref="ImageFolder"/>.</summary>
    public string Images => Path.Combine(_folder, "images.safetensors");

    /// <summary>The IDX folder the image classifier was trained on, with gzip-compressed t10k files.</summary>
    public string ImageFolder => Path.Combine(_folder, "images");

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
