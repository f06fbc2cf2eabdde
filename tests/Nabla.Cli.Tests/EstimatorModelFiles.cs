using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// A model file of every estimator kind, written by the library in the test process with the data
/// preparation of the CSV file it was fitted on (<see cref="FittedEstimators"/>), made once per test
/// class; the estimators themselves are kept to give the predictions the command must print.
/// </summary>
public sealed class EstimatorModelFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nabla-estimators-").FullName;

    public EstimatorModelFiles()
    {
        foreach (string kind in FittedEstimators.Kinds)
        {
            var fitted = FittedEstimators.Make(kind, _folder);
            fitted.File().Save(PathOf(kind));
            Fitted[kind] = fitted;
        }
    }

    /// <summary>Each kind's fitted estimator, the prepared rows and the CSV file they came from.</summary>
    internal Dictionary<string, FittedEstimators.Fitted> Fitted { get; } = [];

    /// <summary>The model file of <paramref name="kind"/>.</summary>
    public string PathOf(string kind) => Path.Combine(_folder, $"{kind}.safetensors");

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
