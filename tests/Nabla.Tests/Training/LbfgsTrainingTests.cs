using Nabla.Estimators;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Estimators;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// L-BFGS inside the Trainer: each batch is one Step(closure); full-batch training reaches the exact
/// least-squares solution and scikit-learn's logistic-regression optimum, and the epoch's loss is
/// the loss before each step, counted once.
/// </summary>
public class LbfgsTrainingTests
{
    private static Tensor Matrix(double[,] values) => Tensor.FromArray(values.Cast<double>().ToArray(), values.GetLength(0), values.GetLength(1));

    private static Lbfgs Tight(Module model) =>
        new(model.Parameters(), 1, maxIterations: 100, toleranceGrad: 1e-12, toleranceChange: 0, lineSearch: LineSearch.StrongWolfe);

    [Fact]
    public void FullBatch_LeastSquares_ReachesTheNormalEquationsSolution()
    {
        var diabetes = Csv.Load("diabetes.csv");
        int rows = diabetes.Target.Length;
        var x = diabetes.Standardised(0, rows);
        var y = diabetes.Target.Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var exact = new LinearRegression().Fit(x, y);

        var model = new Linear(x.GetLength(1), 1, generator: new Generator(3), dtype: DType.Float64);
        var trainer = new Trainer(model, new MseLoss(), Tight(model));
        var history = trainer.Fit(new DataLoader(Matrix(x), Tensor.FromArray(y, rows, 1), batchSize: rows), epochs: 3);

        double[] coef = exact.Coef.ToDoubleArray();
        double[] weights = model.Weight.ToDoubleArray();
        // The features are nearly collinear (s1 to s4), so weights ~1e-6 apart have losses equal to
        // the last bits; which of them L-BFGS stops at depends on the GEMM path (AVX-512, AVX2)
        // summing in another order. 1e-5 is still eight digits of the largest weight (~790).
        double worst = coef.Select((c, i) => Math.Abs(weights[i] - c)).Max();
        Assert.True(worst <= 1e-5, $"L-BFGS weights [{string.Join(", ", weights.Select(w => w.ToString("R")))}] differ from the normal equations' [{string.Join(", ", coef.Select(c => c.ToString("R")))}] by up to {worst:R}");
        Assert.Equal(exact.Intercept.Item(), model.Bias!.Item(), 1e-6);
        Assert.Equal(3, trainer.Step);
        Assert.True(history.Loss[0] > 10 * history.Loss[1], "the first epoch's loss is the loss before the first step, far above the optimum");
        Assert.Equal(history.Loss[1], history.Loss[2], 1e-9);
    }

    [Fact]
    public void FullBatch_LogisticRegression_ReachesScikitLearnsOptimum()
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == "iris_versicolor_virginica_no_penalty");
        var iris = Csv.Load("iris.csv");
        var x = Matrix(iris.Standardised(c.RowStart, c.RowStop));
        // Classes [1, 2] are versicolor and virginica; scikit-learn's single logit is for the second.
        var y = Tensor.FromArray(iris.Target[c.RowStart..c.RowStop].Select(t => t == "virginica" ? 1.0 : 0.0).ToArray(), c.RowStop - c.RowStart, 1);
        var data = new DataLoader(x, y, batchSize: c.RowStop - c.RowStart);

        var model = new Linear(4, 1, generator: new Generator(4), dtype: DType.Float64);
        var trainer = new Trainer(model, new BceWithLogitsLoss(), Tight(model));
        trainer.Fit(data, epochs: 4);
        double loss = trainer.Evaluate(data).Loss;
        double[] weights = model.Weight.ToDoubleArray();
        double intercept = model.Bias!.Item();

        c.TightCoef.CopyTo(model.Weight.Span<double>());
        model.Bias!.Span<double>()[0] = c.TightIntercept[0];
        double optimum = trainer.Evaluate(data).Loss;

        Assert.True(Math.Abs(loss - optimum) <= 1e-10 * optimum, $"L-BFGS loss {loss:R}, scikit-learn's optimum {optimum:R}");
        for (int i = 0; i < weights.Length; i++) Assert.True(Math.Abs(weights[i] - c.TightCoef[i]) <= 1e-5 * Math.Abs(c.TightCoef[i]), $"weight {i}: {weights[i]:R} vs {c.TightCoef[i]:R}");
        Assert.Equal(c.TightIntercept[0], intercept, 1e-5);
    }

    [Fact]
    public void MiniBatches_CountEachBatchOnce_WithTheLossBeforeItsStep()
    {
        var (x, y) = Blobs.Classification(60, seed: 8);
        var model = Networks.Mlp([4, 8, 3], () => new Tanh());
        var optimizer = new Lbfgs(model.Parameters(), 1, maxIterations: 5, lineSearch: LineSearch.StrongWolfe);
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer);
        var recorder = new BatchRecorder(x, y, 16);
        trainer.Callbacks.Add(recorder);
        var history = trainer.Fit(new DataLoader(x, y, batchSize: 16), epochs: 2);

        Assert.Equal(8, trainer.Step);
        Assert.Equal(8, recorder.LossesBefore.Count);
        Assert.Equal(recorder.LossesBefore, recorder.BatchLosses);
        int[] sizes = [16, 16, 16, 12];
        for (int epoch = 0; epoch < 2; epoch++)
        {
            double expected = recorder.LossesBefore.Skip(4 * epoch).Take(4).Zip(sizes, (l, n) => l * n).Sum() / 60;
            Assert.Equal(expected, history.Loss[epoch], 1e-6);
        }
        Assert.True(history.Loss[1] < history.Loss[0]);
        Assert.NotNull(history.Epochs[0].Accuracy);
    }

    /// <summary>
    /// Records each batch's loss as the model stood when the gradients were ready, before the step
    /// (computed apart from the trainer), and the loss the trainer reports for the batch.
    /// </summary>
    private sealed class BatchRecorder(Tensor x, Tensor y, int batchSize) : ITrainingCallback
    {
        public List<double> LossesBefore { get; } = [];
        public List<double> BatchLosses { get; } = [];

        public void OnGradients(Trainer trainer)
        {
            int start = LossesBefore.Count % 4 * batchSize, count = Math.Min(batchSize, x.Shape[0] - start);
            using var _ = Nabla.Autograd.NoGrad();
            LossesBefore.Add(trainer.Loss.Forward(trainer.Model.Forward(x.Slice(0, start, count)), y.Slice(0, start, count)).Item());
        }

        public void OnBatchEnd(Trainer trainer, Batch batch) => BatchLosses.Add(trainer.BatchLoss);
    }

    [Fact]
    public void GradientClipping_IsRefused()
    {
        var model = Networks.Mlp([4, 3], () => new Tanh());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Lbfgs(model.Parameters())) { ClipGradNorm = 1 };
        var (x, y) = Blobs.Classification(12);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(new DataLoader(x, y), 1));
        Assert.StartsWith("Trainer: ClipGradNorm cannot be used with Lbfgs", error.Message);
        trainer.ClipGradNorm = null;
        trainer.ClipGradValue = 1;
        var byValue = Assert.Throws<InvalidOperationException>(() => trainer.Fit(new DataLoader(x, y), 1));
        Assert.StartsWith("Trainer: ClipGradValue cannot be used with Lbfgs", byValue.Message);
    }

    [Fact]
    public void LearningRateFinder_IsRefused()
    {
        var model = Networks.Mlp([4, 3], () => new Tanh());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Lbfgs(model.Parameters()));
        var (x, y) = Blobs.Classification(12);
        var error = Assert.Throws<ArgumentException>(() => new LearningRateFinder().Run(trainer, new DataLoader(x, y)));
        Assert.StartsWith("LearningRateFinder: Lbfgs chooses its own step lengths", error.Message);
    }
}
