using Microsoft.ML.OnnxRuntime;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Every estimator of a table that a model file holds, exported with its preprocessing and run in ONNX Runtime on every row
/// of its data set: the labels are Nabla's, and the probabilities, decision functions and predictions agree to 1e-5.
/// </summary>
public sealed class EstimatorExportTests : TemporaryFolder
{
    private static readonly OnnxExportOptions Dynamic = new() { DynamicBatch = true };

    [Theory]
    [InlineData("linear_regression")]
    [InlineData("ridge")]
    [InlineData("sgd_regressor")]
    [InlineData("mlp_regressor")]
    [InlineData("logistic_regression")]
    [InlineData("sgd_classifier")]
    [InlineData("linear_svc")]
    [InlineData("mlp_classifier")]
    public void FittedEstimatorMatchesNabla(string kind)
    {
        var fitted = FittedEstimators.Make(kind, Folder);
        AssertMatches(ModelPipeline.Create(fitted.File(), fitted.Preprocessor), fitted.DataPath);
    }

    public static TheoryData<string, object> Classifiers => new()
    {
        { "breast_cancer", new LogisticRegression(C: 0.5) },
        { "digits", new SgdClassifier(loss: SgdClassifierLoss.ModifiedHuber, maxIter: 5, tol: null, randomState: 2) },
        { "iris", new SgdClassifier(loss: SgdClassifierLoss.LogLoss, maxIter: 10, tol: null, randomState: 1) },
        { "breast_cancer", new SgdClassifier(loss: SgdClassifierLoss.ModifiedHuber, maxIter: 5, tol: null, randomState: 1) },
        { "breast_cancer", new LinearSvc(maxIter: 50) },
        { "breast_cancer", new MlpClassifier(hiddenLayerSizes: [6, 4], activation: Nabla.NN.Activation.Tanh, maxIter: 20, randomState: 3) },
        { "iris", new MlpClassifier(hiddenLayerSizes: [5], activation: Nabla.NN.Activation.Sigmoid, maxIter: 20, randomState: 3) },
    };

    /// <summary>Each link from scores to probabilities and classes: binary and multiclass, softmax, one-vs-rest logistic and modified Huber, none.</summary>
    [Theory]
    [MemberData(nameof(Classifiers))]
    public void EveryLinkMatchesNabla(string data, object estimator)
    {
        var path = SharedData.PathOf($"{data}.csv");
        var table = Csv.Read(path);
        var preprocessor = TabularPreprocessor.Fit(table, table.Columns[^1].Name, [.. Enumerable.Range(0, table.RowCount)]);
        var features = preprocessor.TransformFeatures(table);
        var labels = preprocessor.TransformTargets(table).ToArray<int>().Select(i => preprocessor.ClassLabels[i]).ToArray();
        var classifier = (Estimator)estimator;
        ((dynamic)classifier).Fit(features, labels);
        AssertMatches(ModelPipeline.Create(new ModelFile(classifier, preprocessor.ToJson()), preprocessor), path);
    }

    private static void AssertMatches(ModelPipeline model, string path)
    {
        var table = Csv.Read(path);
        var preprocessor = (TabularPreprocessor)model.Preprocessor;
        var expected = model.Predict(path);
        var bytes = OnnxExport.ToBytes(model, Dynamic);
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var outputs = OnnxRuntimeRun.Run(bytes, OnnxRuntimeRun.Columns(table, preprocessor), level);
            if (model.Model.Task == ModelTask.Regression)
            {
                Agreement.Close(preprocessor.Target, expected.Values!.ToDoubleArray(), (float[])outputs[preprocessor.Target]);
                continue;
            }
            int classes = model.Model.Classes!.Count;
            Assert.Equal(expected.Labels, (string[])outputs[preprocessor.Target]);
            Assert.Equal(expected.Probabilities is not null, outputs.ContainsKey("probabilities"));
            if (expected.Probabilities is { } probabilities)
                Agreement.Close("probabilities", probabilities.ToDoubleArray(), (float[])outputs["probabilities"], classes);
            var scores = outputs.TryGetValue("scores", out var s) ? (float[])s : (float[])outputs["probabilities"];
            Agreement.Close("scores", expected.Outputs.ToDoubleArray(), scores, Math.Max(1, expected.Outputs.Length / expected.Count));
        }
    }
}
