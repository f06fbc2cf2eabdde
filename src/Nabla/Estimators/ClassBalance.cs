namespace Nabla.Estimators;

/// <summary>The weight of each class under a <see cref="ClassWeight"/> setting (scikit-learn's <c>compute_class_weight</c>).</summary>
internal static class ClassBalance
{
    /// <summary>1 for every class, or N / (K · Nₖ) for class k when balanced; a class without samples gets 1 as it cannot weigh anything.</summary>
    public static double[] PerClass(ClassWeight weighting, int[] classIndices, int classCount)
    {
        var counts = new double[classCount];
        foreach (int k in classIndices) counts[k]++;
        return PerClass(weighting, counts);
    }

    /// <summary>The weights of <see cref="PerClass(ClassWeight, int[], int)"/> from the number of samples of each class (whole numbers, as doubles so that they can be summed over the blocks of a distributed fit).</summary>
    public static double[] PerClass(ClassWeight weighting, double[] counts)
    {
        int classCount = counts.Length;
        var weights = new double[classCount];
        Array.Fill(weights, 1.0);
        if (weighting == ClassWeight.None) return weights;
        double samples = counts.Sum();
        for (int k = 0; k < classCount; k++)
            if (counts[k] > 0) weights[k] = samples / (classCount * counts[k]);
        return weights;
    }
}
