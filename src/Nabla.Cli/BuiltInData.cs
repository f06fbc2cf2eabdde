using Nabla.Data;

namespace Nabla.Cli;

/// <summary>The command's default data, from the data sets shipped inside the library (<see cref="Datasets"/>).</summary>
internal static class BuiltInData
{
    /// <summary>
    /// The diabetes regression data (Efron et al. 2004): 442 patients, 10 raw baseline
    /// measurements, and the target <c>progression</c> one year later.
    /// </summary>
    public static Dataset Diabetes()
    {
        var diabetes = Datasets.Diabetes();
        return new Dataset(diabetes.Name, diabetes.FeatureNames, diabetes.TargetName,
            diabetes.Features.To(DType.Float32).ToArray<float>(), diabetes.Target.To(DType.Float32).ToArray<float>());
    }
}
