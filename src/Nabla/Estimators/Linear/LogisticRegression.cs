using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// Logistic regression, as scikit-learn's <c>LogisticRegression</c> with its default lbfgs
/// solver: binary for two classes, multinomial (softmax) for more, an L2 penalty of strength 1/C.
/// </summary>
/// <remarks>
/// <para>
/// Minimises scikit-learn's objective exactly (<see cref="LogisticLoss"/>): the sum over samples
/// of the (class-weighted) log-loss plus ½‖W‖²/C, the intercepts unpenalised, by L-BFGS
/// (<see cref="Lbfgs"/> with a strong Wolfe line search, 10 corrections as scipy's L-BFGS-B) from
/// zero weights. It stops when the largest gradient component is at most <see cref="Tol"/>/10
/// (scikit-learn passes <c>tol</c> as scipy's <c>gtol</c>) or after <see cref="MaxIter"/>
/// iterations. scipy also stops when the objective improves by less than 2.2e-9 relative, which
/// can leave scikit-learn's weights up to 6e-4 from the optimum; this estimator stops on neither
/// of those, so its weights are within 1e-4 of the optimum, and differ from scikit-learn's by
/// about the distance scikit-learn's own stopping leaves. It may take a few more iterations.
/// </para>
/// <para>
/// scikit-learn 1.2's <c>multi_class="auto"</c> is built in: multinomial for more than two
/// classes. Other solvers, L1 and elastic-net penalties, dictionaries of class weights and
/// sample weights are not supported.
/// </para>
/// <code>
/// var model = new LogisticRegression(C: 10).Fit(X, species);
/// string[] predicted = model.Predict&lt;string&gt;(X);
/// Tensor probabilities = model.PredictProba(X);
/// </code>
/// </remarks>
public sealed class LogisticRegression : LinearClassifier<LogisticRegression>
{
    // scipy's L-BFGS-B keeps 10 corrections (maxcor) and allows 15000 evaluations (maxfun).
    private const int HistorySize = 10;
    private const int MaxEvaluations = 15000;

    // 64 machine epsilons, a stagnation guard only: a change of the objective this small is
    // rounding, not progress (scikit-learn 1.3 passes the same as scipy's ftol).
    private const double ToleranceChange = 64 * 2.220446049250313e-16;

    // scipy's gtol = tol can leave the weights 2e-4 short of the optimum on ill-conditioned data
    // (C = 10); a tenth of it lands within 1e-4, for a few more iterations, still bounded by MaxIter.
    private const double GradientToleranceScale = 0.1;


    /// <summary>Creates the estimator; every setting is checked here.</summary>
    /// <param name="penalty">L2 (default) or None (scikit-learn's <c>penalty</c>).</param>
    /// <param name="tol">Stop when the largest gradient component is at most a tenth of this (≥ 0, scikit-learn's <c>tol</c>).</param>
    /// <param name="C">Inverse penalty strength (&gt; 0, scikit-learn's <c>C</c>): smaller is stronger.</param>
    /// <param name="fitIntercept">Whether to learn intercepts (scikit-learn's <c>fit_intercept</c>).</param>
    /// <param name="classWeight">None, or Balanced to weigh each class's samples by N / (K · Nₖ) (scikit-learn's <c>class_weight</c>).</param>
    /// <param name="maxIter">The most L-BFGS iterations (≥ 1, scikit-learn's <c>max_iter</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public LogisticRegression(Penalty penalty = Penalty.L2, double tol = 1e-4, double C = 1.0, bool fitIntercept = true,
        ClassWeight classWeight = ClassWeight.None, int maxIter = 100)
    {
        if (penalty is not (Penalty.L2 or Penalty.None))
            throw new ArgumentOutOfRangeException(nameof(penalty), $"LogisticRegression: penalty must be L2 or None, got {penalty}");
        if (!Enum.IsDefined(classWeight))
            throw new ArgumentOutOfRangeException(nameof(classWeight), $"LogisticRegression: class weight must be None or Balanced, got {classWeight}");
        Penalty = penalty;
        Tol = Hyperparameters.NonNegative(tol, "LogisticRegression: tol", nameof(tol));
        this.C = Hyperparameters.Positive(C, "LogisticRegression: C", nameof(C));
        FitIntercept = fitIntercept;
        ClassWeight = classWeight;
        MaxIter = Hyperparameters.AtLeastOne(maxIter, "LogisticRegression: max iterations", nameof(maxIter));
    }

    /// <summary>The penalty on the weights.</summary>
    public Penalty Penalty { get; }

    /// <summary>The gradient tolerance that stops the solver.</summary>
    public double Tol { get; }

    /// <summary>The inverse penalty strength.</summary>
    public double C { get; }

    /// <summary>Whether intercepts are learned.</summary>
    public bool FitIntercept { get; }

    /// <summary>How samples are weighted by class.</summary>
    public ClassWeight ClassWeight { get; }

    /// <summary>The most L-BFGS iterations.</summary>
    public int MaxIter { get; }

    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "logistic_regression";

    /// <summary>The fitted state: settings "penalty", "tol", "C", "fit_intercept", "class_weight" and "max_iter"; tensors "coef" and "intercept"; the classes.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold.</exception>
    internal EstimatorState ExportState() => LinearState(KindName, new JsonObject
    {
        ["penalty"] = StateSection.Node(Penalty), ["tol"] = Tol, ["C"] = C, ["fit_intercept"] = FitIntercept,
        ["class_weight"] = StateSection.Node(ClassWeight), ["max_iter"] = MaxIter,
    });

    /// <summary>The fitted estimator a saved state describes; the settings are checked as the constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value, tensor or class is missing, malformed or out of range.</exception>
    internal static LogisticRegression FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() => new LogisticRegression(s.Choice<Penalty>("penalty"), s.Number("tol"), s.Number("C"), s.Flag("fit_intercept"),
            s.Choice<ClassWeight>("class_weight"), s.Integer("max_iter")));
        model.RestoreLinear(state);
        return model;
    }

    private protected override void FitCore(DesignMatrix x, int[] classIndices, int classCount) => Solve(x, classIndices, classCount, SampleBlocks.Whole);

    /// <summary>
    /// Fits on this worker's block of the samples, the others holding the rest (the distributed
    /// fit): the class counts and each evaluation's loss and gradient are summed over
    /// <paramref name="blocks"/>, so every worker's L-BFGS takes the steps of a fit on all the rows.
    /// </summary>
    /// <param name="x">This block's samples, checked; it may hold no rows.</param>
    /// <param name="y">This block's labels.</param>
    /// <param name="classes">The classes of all the blocks, the same on every worker.</param>
    /// <param name="blocks">The exchanges between the workers.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentException">The classes are fewer than two, or y holds a label that is not one of them.</exception>
    internal LogisticRegression FitBlock<TLabel>(DesignMatrix x, TLabel[] y, TLabel[] classes, SampleBlocks blocks) where TLabel : notnull
    {
        if (y.Length != x.Rows)
            throw new ShapeMismatchException($"{nameof(LogisticRegression)}.Fit: X has {x.Rows} samples, y has {y.Length}.");
        return FitLabels(x.Columns, y, classes, (indices, count) => Solve(x, indices, count, blocks));
    }

    private void Solve(DesignMatrix x, int[] classIndices, int classCount, SampleBlocks blocks)
    {
        var counts = new double[classCount];
        foreach (int k in classIndices) counts[k]++;
        blocks.Sum(counts);
        var perClass = ClassBalance.PerClass(ClassWeight, counts);
        // The penalty belongs to the objective once: the first block's share carries it.
        double l2 = Penalty == Penalty.L2 && blocks.IsFirst ? 1 / C : 0;
        var loss = new LogisticLoss(x, classIndices, classCount, Array.ConvertAll(classIndices, k => perClass[k]), l2, FitIntercept);
        var parameters = Tensor.Zeros([loss.ParameterCount], DType.Float64).RequiresGradient();
        var gradient = Tensor.Zeros([loss.ParameterCount], DType.Float64);
        // The gradient, then the loss: one exchange an evaluation.
        var sums = new double[loss.ParameterCount + 1];
        var solver = new Lbfgs([parameters], maxIterations: MaxIter, maxEvaluations: MaxEvaluations, toleranceGrad: Tol * GradientToleranceScale,
            toleranceChange: ToleranceChange, historySize: HistorySize, lineSearch: LineSearch.StrongWolfe);
        solver.Step(() =>
        {
            sums[^1] = loss.Evaluate(parameters.Span<double>(), sums);
            blocks.Sum(sums);
            sums.AsSpan(0, loss.ParameterCount).CopyTo(gradient.Float64Data);
            parameters.Grad = gradient;
            return Tensor.Scalar(sums[^1], DType.Float64);
        });
        SetIterations((int)solver.StateDict().Scalars["n_iter"]);

        int weightCount = loss.Rows * x.Columns;
        var values = parameters.Float64Data;
        SetWeights(values[..weightCount], FitIntercept ? values[weightCount..] : new double[loss.Rows]);
    }

    private protected override double[] ProbaCore(DesignMatrix x, bool logarithm)
    {
        var scores = Scores(x);
        int classes = Classes.Count;
        Tensor logits;
        if (classes == 2)
        {
            // [1 − σ(z), σ(z)] is the softmax of [0, z]; its log-softmax stays finite for confident predictions.
            var pairs = new double[2 * x.Rows];
            for (int i = 0; i < x.Rows; i++) pairs[2 * i + 1] = scores[i];
            logits = Tensor.FromArray(pairs, x.Rows, 2);
        }
        else
        {
            logits = Tensor.FromArray(scores, x.Rows, classes);
        }
        using (Autograd.NoGrad())
            return (logarithm ? logits.LogSoftmax(1) : logits.Softmax(1)).Float64Data;
    }
}
