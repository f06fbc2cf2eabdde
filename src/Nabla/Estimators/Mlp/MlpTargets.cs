using Nabla.Losses;

namespace Nabla.Estimators;

/// <summary>
/// The targets of an MLP fit as its loss reads them, with the output layer they need: regression
/// values (identity output, scikit-learn's squared loss / 2), two classes as 0/1 (one logistic
/// output, the binary log-loss) or more classes as indices (softmax, the log-loss).
/// </summary>
/// <param name="Values">The targets for the loss: (rows, outputs) values; (rows, 1) zeros and ones; Int32 class indices (rows); or, with class weights, one-hot rows (rows, classes).</param>
/// <param name="Outputs">The number of output units.</param>
/// <param name="Activation">The output activation.</param>
/// <param name="Classes">The class index of each sample, for a classifier; null for a regressor.</param>
/// <param name="ClassWeights">The weight of each class in the loss, or null when every sample counts once.</param>
internal sealed record MlpTargets(Tensor Values, int Outputs, MlpOutputActivation Activation, int[]? Classes, double[]? ClassWeights)
{
    /// <summary>Regression targets, row-major <paramref name="rows"/> × <paramref name="outputs"/>, in <paramref name="dtype"/>.</summary>
    public static MlpTargets Regression(double[] values, int rows, int outputs, DType dtype) =>
        new(Tensor.FromArray(values, rows, outputs).To(dtype), outputs, MlpOutputActivation.Identity, null, null);

    /// <summary>
    /// Class indices of <paramref name="classCount"/> classes, weighted by <paramref name="classWeights"/>
    /// (one a class) or not; probabilities and one-hot rows in <paramref name="dtype"/>.
    /// </summary>
    public static MlpTargets Classification(int[] classes, int classCount, double[]? classWeights, DType dtype)
    {
        if (classCount == 2)
        {
            var binary = Tensor.FromArray(Array.ConvertAll(classes, k => (double)k), classes.Length, 1).To(dtype);
            return new(binary, 1, MlpOutputActivation.Logistic, classes, classWeights);
        }
        if (classWeights is null) return new(Tensor.FromArray(classes), classCount, MlpOutputActivation.Softmax, classes, null);
        // Weighted, as probabilities: PyTorch's mean over probability targets divides by the samples, not by their weights.
        var oneHot = new double[classes.Length * classCount];
        for (int i = 0; i < classes.Length; i++) oneHot[i * classCount + classes[i]] = 1;
        return new(Tensor.FromArray(oneHot, classes.Length, classCount).To(dtype), classCount, MlpOutputActivation.Softmax, classes, classWeights);
    }

    /// <summary>
    /// The data loss, without the penalty: for n samples, ½·mean of the squared errors with scikit-learn's
    /// gradient (p − y)/n; the binary log-loss; or the log-loss; each sample's term times its class's
    /// weight when weighted, and the mean over the samples.
    /// </summary>
    public Loss CreateLoss()
    {
        switch (Activation)
        {
            case MlpOutputActivation.Identity:
                return new MseLoss(halfPerSample: true);
            case MlpOutputActivation.Logistic when ClassWeights is { } w:
                // w₀·(y·(w₁/w₀)·softplus(−z) + (1 − y)·softplus(z)): class 1 weighs w₁, class 0 weighs w₀.
                return new BceWithLogitsLoss(Tensor.FromArray([w[0]]), Tensor.FromArray([w[1] / w[0]]));
            case MlpOutputActivation.Logistic:
                return new BceWithLogitsLoss();
            default:
                return new CrossEntropyLoss(ClassWeights is { } weights ? Tensor.FromArray(weights) : null);
        }
    }

    /// <summary>The number of samples.</summary>
    public int Rows => Values.Size(0);

    /// <summary>The targets of the samples at <paramref name="rows"/>, copied.</summary>
    public MlpTargets Select(IReadOnlyList<int> rows)
    {
        using var _ = Autograd.NoGrad();
        return this with
        {
            Values = Values.IndexSelect(0, Tensor.FromArray([.. rows])),
            Classes = Classes is null ? null : [.. rows.Select(r => Classes[r])],
        };
    }

    /// <summary>The activated outputs (predictions, or class probabilities) of raw outputs (rows, outputs).</summary>
    public static Tensor Activate(Tensor raw, MlpOutputActivation activation) => activation switch
    {
        MlpOutputActivation.Logistic => raw.Sigmoid(),
        MlpOutputActivation.Softmax => raw.Softmax(1),
        _ => raw,
    };
}
