namespace Nabla.Estimators;

/// <summary>The weight of each class under a <see cref="ClassWeight"/> setting (scikit-learn's <c>compute_class_weight</c>).</summary>
internal static class ClassBalance
{
    /// <summary>1 for every class, or N / (K · Nₖ) for class k when balanced; a class without samples gets 1 as it cannot weigh anything.</summary>
    public static double[] PerClass(ClassWeight weighting, int[] classIndices, int classCount)
    {
        var weights = new double[classCount];
        Array.Fill(weights, 1.0);
        if (weighting == ClassWeight.None) return weights;
        var counts = new int[classCount];
        foreach (int k in classIndices) counts[k]++;
        for (int k = 0; k < classCount; k++)
            if (counts[k] > 0) weights[k] = (double)classIndices.Length / (classCount * counts[k]);
        return weights;
    }
}
