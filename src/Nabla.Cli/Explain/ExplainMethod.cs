namespace Nabla.Cli;

/// <summary>How <c>nabla explain</c> measures what the features contributed (<c>--method</c>).</summary>
internal enum ExplainMethod
{
    /// <summary>Integrated gradients from a baseline, with an error bound and the completeness check (the library's <see cref="Explain.IntegratedGradients"/>).</summary>
    IntegratedGradients,

    /// <summary>The gradient of the explained output (<see cref="Explain.Saliency"/>).</summary>
    Saliency,

    /// <summary>The gradient averaged over noisy copies of the row (<see cref="Explain.SmoothGrad"/>).</summary>
    SmoothGrad,

    /// <summary>How much the model's score drops when a feature is shuffled, over all the rows (<see cref="Explain.PermutationImportance"/>).</summary>
    Permutation,
}

/// <summary>The words of <c>--method</c>.</summary>
internal static class ExplainMethods
{
    /// <summary>ig, saliency, smoothgrad, permutation.</summary>
    public static OptionChoices<ExplainMethod> Choices { get; } = new(
        ("ig", ExplainMethod.IntegratedGradients), ("saliency", ExplainMethod.Saliency),
        ("smoothgrad", ExplainMethod.SmoothGrad), ("permutation", ExplainMethod.Permutation));
}
