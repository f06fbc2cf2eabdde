using Nabla.Data;
using Nabla.Estimators;
using Nabla.NN;

namespace Nabla.Tests.Estimators;

/// <summary>MlpRegressor and MlpClassifier: settings checks, early stopping, warm start, callbacks and Nabla's extras.</summary>
public class MlpBehaviourTests
{
    private static double[,] X => MlpFixture.Value.Features;
    private static double[] Y => [.. MlpFixture.Value.YRegression];
    private static int[] Labels => [.. MlpFixture.Value.YMulticlass];

    [Theory]
    [InlineData("alpha", "MlpRegressor: alpha must be non-negative, got -1")]
    [InlineData("learningRateInit", "MlpRegressor: initial learning rate must be positive, got 0")]
    [InlineData("maxIter", "MlpRegressor: max iterations must be at least 1, got 0")]
    [InlineData("momentum", "MlpRegressor: momentum must be in [0, 1], got 1.5")]
    [InlineData("beta1", "MlpRegressor: beta1 must be in [0, 1), got 1")]
    [InlineData("validationFraction", "MlpRegressor: validation fraction must be in [0, 1), got 1")]
    [InlineData("batchSize", "MlpRegressor: batch size must be at least 1 (or null for min(200, samples)), got 0")]
    [InlineData("hiddenLayerSizes", "MlpRegressor: hidden layer sizes must be positive, got 0 for layer 1 in [5, 0]")]
    [InlineData("epsilon", "MlpRegressor: epsilon must be positive, got 0")]
    [InlineData("dropout", "MlpRegressor: dropout must be in [0, 1), got 1")]
    public void BadSettingsAreRejectedWithTheirValue(string parameter, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => parameter switch
        {
            "alpha" => new MlpRegressor(alpha: -1),
            "learningRateInit" => new MlpRegressor(learningRateInit: 0),
            "maxIter" => new MlpRegressor(maxIter: 0),
            "momentum" => new MlpRegressor(momentum: 1.5),
            "beta1" => new MlpRegressor(beta1: 1),
            "validationFraction" => new MlpRegressor(validationFraction: 1),
            "batchSize" => new MlpRegressor(batchSize: 0),
            "hiddenLayerSizes" => new MlpRegressor(hiddenLayerSizes: [5, 0]),
            "epsilon" => new MlpRegressor(epsilon: 0),
            _ => new MlpRegressor(dropout: 1),
        });
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void UndefinedChoicesAndInt32AreRejected()
    {
        Assert.Contains("solver must be one of Sgd, Adam, Lbfgs, got 7", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpClassifier(solver: (Solver)7)).Message);
        Assert.Contains("class weight must be None or Balanced", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpClassifier(classWeight: (ClassWeight)3)).Message);
        Assert.Contains("Float64 or Float32, got Int32", Assert.Throws<ArgumentException>(() => new MlpRegressor(dtype: DType.Int32)).Message);
        Assert.Contains("early stopping needs a validation fraction", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpRegressor(earlyStopping: true, validationFraction: 0)).Message);
    }

    [Theory]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.LeakyRelu)]
    public void ActivationsBeyondScikitLearnsFour_LearnDigits(Activation activation)
    {
        // The hidden activation is the library's one enum: the MLP estimators take every activation a network has.
        var digits = Datasets.Digits();
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(digits.Features / 16, digits.Target, testSize: 0.25, stratify: true);

        var model = new MlpClassifier(hiddenLayerSizes: [64], activation: activation, maxIter: 60, randomState: 0).Fit(xTrain, yTrain);

        Assert.Equal(activation, model.Options.Activation);
        Assert.True(model.Score(xTest, yTest) > 0.9, $"{activation}: test accuracy {model.Score(xTest, yTest)}");
    }

    [Fact]
    public void UseBeforeFitAndWrongFeatureCountAreClearErrors()
    {
        var model = new MlpRegressor(hiddenLayerSizes: [4], maxIter: 5);
        Assert.Equal("MlpRegressor: not fitted yet; call Fit before Coefs.", Assert.Throws<InvalidOperationException>(() => model.Coefs).Message);
        Assert.Contains("call Fit before Predict", Assert.Throws<InvalidOperationException>(() => model.Predict(X)).Message);
        model.Fit(X, Y);
        Assert.Equal("MlpRegressor: X has 2 features, but it was fitted with 5 features.", Assert.Throws<ShapeMismatchException>(() => model.Predict(new double[3, 2])).Message);
    }

    [Fact]
    public void InitialWeightsOfTheWrongShapeNameTheLayer()
    {
        var model = new MlpRegressor(hiddenLayerSizes: [4]).SetInitialWeights([Tensor.Zeros([5, 3], DType.Float64), Tensor.Zeros([3, 1], DType.Float64)],
            [Tensor.Zeros([3], DType.Float64), Tensor.Zeros([1], DType.Float64)]);
        var error = Assert.Throws<ShapeMismatchException>(() => model.Fit(X, Y));
        Assert.Equal("MlpRegressor.Fit: initial weights of layer 0 have shapes [5, 3] and [3], the network needs [5, 4] and [4].", error.Message);
    }

    [Fact]
    public void FittedAttributesHaveScikitLearnsShapes()
    {
        var model = new MlpClassifier(hiddenLayerSizes: [6, 4], maxIter: 3).Fit(X, Labels);
        Assert.Equal(4, model.NLayers);
        Assert.Equal(3, model.NOutputs);
        Assert.Equal(MlpOutputActivation.Softmax, model.OutActivation);
        Assert.Equal([[5, 6], [6, 4], [4, 3]], model.Coefs.Select(c => c.Shape.ToArray()));
        Assert.Equal([[6], [4], [3]], model.Intercepts.Select(c => c.Shape.ToArray()));
        Assert.Equal(3, model.LossCurve.Count);
        Assert.Equal(180, model.TUpdates);
        var binary = new MlpClassifier(hiddenLayerSizes: [3], maxIter: 2).Fit(X, MlpFixture.Value.YBinary.ToArray());
        Assert.Equal(MlpOutputActivation.Logistic, binary.OutActivation);
        Assert.Equal(1, binary.NOutputs);
        var proba = binary.PredictProba(X);
        Assert.Equal([60, 2], proba.Shape);
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestValidationWeights()
    {
        var model = new MlpClassifier(hiddenLayerSizes: [8], solver: Solver.Adam, learningRateInit: 0.05, earlyStopping: true, nIterNoChange: 3, maxIter: 200).Fit(X, Labels);
        var scores = model.ValidationScores!;
        Assert.Equal(model.NIter, scores.Count);
        Assert.True(model.NIter < 200, "stopped by the validation rule");
        Assert.Equal(scores.Max(), model.BestValidationScore);
        Assert.Null(model.BestLoss);
        Assert.Equal(model.NIter, model.ValidationLosses!.Count);
    }

    [Fact]
    public void WarmStartContinuesCountersAndWeights()
    {
        var once = new MlpRegressor(hiddenLayerSizes: [5], solver: Solver.Sgd, maxIter: 4, shuffle: false, warmStart: true, tol: 0).Fit(X, Y);
        var first = once.LossCurve;
        once.Fit(X, Y);
        Assert.Equal(8, once.NIter);
        Assert.Equal(480, once.TUpdates);
        Assert.Equal(first, once.LossCurve.Take(4));
        Assert.True(once.LossCurve[4] < first[0], "the second fit starts from the first's weights");
        var cold = new MlpRegressor(hiddenLayerSizes: [5], solver: Solver.Sgd, maxIter: 4, shuffle: false, tol: 0).Fit(X, Y).Fit(X, Y);
        Assert.Equal(4, cold.NIter);
    }

    [Fact]
    public void CallbackStopsAndProgressReportsEachEpoch()
    {
        var reports = new List<MlpEpoch>();
        var model = new MlpRegressor(hiddenLayerSizes: [5], maxIter: 50, progress: new Reports(reports), callback: new StopAt(3)).Fit(X, Y);
        Assert.Equal(3, model.NIter);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Iteration));
        Assert.Equal(model.LossCurve, reports.Select(r => r.Loss));
    }

    [Fact]
    public void ExtrasTrainFloat32DropoutBatchNormAndClassWeights()
    {
        var f32 = new MlpRegressor(hiddenLayerSizes: [16], dtype: DType.Float32, learningRateInit: 0.01, maxIter: 300, randomState: 3).Fit(X, Y);
        Assert.True(f32.Score(X, Y) > 0.8, $"Float32 R² {f32.Score(X, Y)}");
        var regularised = new MlpClassifier(hiddenLayerSizes: [32], dropout: 0.2, batchNorm: true, classWeight: ClassWeight.Balanced, learningRateInit: 0.01, maxIter: 300).Fit(X, Labels);
        Assert.True(regularised.Score(X, Labels) > 0.8, $"accuracy {regularised.Score(X, Labels)}");
        Assert.Equal(2, regularised.Coefs.Count);
    }

    [Fact]
    public void AFloat32FitOnAFloat32Tensor_LearnsWhatTheSameValuesGiveAsAnArray_AndLeavesTheTensorAlone()
    {
        int rows = X.GetLength(0), columns = X.GetLength(1);
        var singles = Tensor.FromArray([.. X.Cast<double>()], rows, columns).To(DType.Float32);
        float[] before = singles.ToArray<float>();
        var asArray = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) asArray[i, j] = before[i * columns + j];
        MlpClassifier Create() => new(hiddenLayerSizes: [8], dtype: DType.Float32, maxIter: 20, randomState: 2);

        var fromTensor = Create().Fit(singles, Labels);
        var fromArray = Create().Fit(asArray, Labels);

        for (int layer = 0; layer < 2; layer++)
        {
            Assert.Equal(fromArray.Coefs[layer].ToDoubleArray(), fromTensor.Coefs[layer].ToDoubleArray());
            Assert.Equal(fromArray.Intercepts[layer].ToDoubleArray(), fromTensor.Intercepts[layer].ToDoubleArray());
        }
        Assert.Equal(fromArray.PredictProba(asArray).ToDoubleArray(), fromTensor.PredictProba(singles).ToDoubleArray());
        Assert.Equal(before, singles.ToArray<float>());
    }

    private sealed class StopAt(int epoch) : IMlpCallback
    {
        public bool OnEpochEnd(MlpEpoch e) => e.Iteration < epoch;
    }

    private sealed class Reports(List<MlpEpoch> into) : IProgress<MlpEpoch>
    {
        public void Report(MlpEpoch value) => into.Add(value);
    }
}
