// Choosing a model's settings, then asking it why: the library pieces behind `nabla tune` and `nabla explain`,
// on the breast-cancer data (569 tumours, 30 measurements each, malignant or benign).
//   1. a search:  a tree-structured Parzen estimator (TpeSearch, Optuna's default) proposes an MLP's learning rate,
//                 width and weight decay; each trial is scored by 3-fold cross-validation of the training rows
//                 (StratifiedKFold), and a trial whose validation accuracy lags the median of earlier ones at the
//                 same epoch is stopped early (MedianPruner);
//   2. the test:  the best settings are trained on all the training rows and scored, once, on the 20 % held out;
//   3. why:       integrated gradients for one tumour, ∫ of the gradient along the path from the average tumour to
//                 it (IntegratedGradients, adaptive quadrature: the attributions add up to the change in the
//                 output, the completeness check), and permutation importance over the test rows.
// The same with the command line, on a CSV file:
//   nabla tune --data breast_cancer.csv --target malignant_is_0 --model mlp --trials 20 --out tuned.safetensors
//   nabla explain --model tuned.safetensors --data breast_cancer.csv --rows 0 --top 5
using System.Globalization;
using Nabla;
using Nabla.Data;
using Nabla.Explain;
using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Selection;
using Nabla.Training;

const ulong Seed = 0;
const int Epochs = 30, Folds = 3, Trials = 16;
var inv = CultureInfo.InvariantCulture;

var table = Datasets.ReadTable("breast_cancer");
string target = table.Columns[^1].Name;
string[] names = [.. table.Columns.Take(table.Columns.Count - 1).Select(column => column.Name)];
var x = new double[table.RowCount, names.Length];
for (int j = 0; j < names.Length; j++)
    for (int i = 0; i < table.RowCount; i++) x[i, j] = table[names[j]].Numbers[i];
int[] y = [.. table[target].Numbers.ToArray().Select(value => (int)value)];

var split = TrainTestSplit.Stratified(y, testSize: 0.2, randomState: Seed);
var (xTrainRaw, xTestRaw) = split.Apply(x);
var (yTrain, yTest) = split.Apply(y);
// Standardised with the training rows' means and deviations; the test rows stay unseen.
var scaler = new StandardScaler().Fit(xTrainRaw);
// Float64 throughout, so that the explanation's completeness check is not lost in float32 rounding.
var xTrain = Tensor.FromArray(scaler.Transform(xTrainRaw));
var xTest = Tensor.FromArray(scaler.Transform(xTestRaw));
Console.WriteLine($"{table.RowCount} tumours × {names.Length} measurements: {yTrain.Length} to search and train on, {yTest.Length} to test once");

// One network of the trial's settings, trained for `epochs` on the rows `train`; the validation rows report its accuracy each epoch.
(Sequential Network, History History) Train(TrialParameters settings, int[] train, int[]? validation, int epochs, Action<EpochResult>? epochEnded)
{
    var network = ModelArchitecture.Mlp(names.Length, [settings.Int("width")], Activation.Relu, 2).Build(DType.Float64, new Generator(Seed));
    var optimizer = new AdamW(network.Parameters(), settings.Double("lr"), weightDecay: settings.Double("weight_decay"));
    var trainer = new Trainer(network, new CrossEntropyLoss(), optimizer);
    if (epochEnded is not null) trainer.Callbacks.Add(new EpochReport(epochEnded));
    var rows = Tensor.FromArray(train);
    var loader = new DataLoader(xTrain.IndexSelect(0, rows), Tensor.FromArray(train.Select(i => yTrain[i]).ToArray()), 32, shuffle: true, generator: new Generator(Seed));
    DataLoader? held = validation is null ? null
        : new DataLoader(xTrain.IndexSelect(0, Tensor.FromArray(validation)), Tensor.FromArray(validation.Select(i => yTrain[i]).ToArray()), 256);
    return (network, trainer.Fit(loader, epochs, held));
}

var folds = new StratifiedKFold(Folds, shuffle: true, randomState: Seed).Split(yTrain.Length, yTrain);
var space = SearchSpace.Parse("lr=1e-4..3e-2:log,width=8..128:int:log,weight_decay=1e-6..1e-1:log");
var search = new TpeSearch(Trials) { Seed = Seed, MaxBudget = Epochs, Pruner = new MedianPruner { WarmupSteps = 5 } };
var result = search.Run(space, trial =>
{
    // The mean validation accuracy over the folds; the first fold's curve goes to the pruner.
    double[] accuracies = [.. folds.Select((fold, k) =>
        Train(trial.Parameters, fold.Train, fold.Test, trial.Budget, k == 0 ? epoch => trial.Report(epoch.Epoch, epoch.ValidationAccuracy!.Value) : null)
            .History.Epochs[^1].ValidationAccuracy!.Value)];
    double mean = accuracies.Average();
    return new TrialScore(mean, Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / accuracies.Length));
});

Console.WriteLine();
Console.WriteLine($"Leaderboard ({result.Trials.Count} trials, {result.Trials.Count(t => t.State == TrialState.Pruned)} pruned early):");
foreach (var trial in result.Leaderboard.Take(5)) Console.WriteLine($"  {trial}");
var best = result.Best!;

// The best settings, trained on every training row, scored once on the test rows.
var (model, _) = Train(best.Parameters, [.. Enumerable.Range(0, yTrain.Length)], null, Epochs, null);
model.Eval();
int[] predicted = model.Forward(xTest).ArgMax(1).ToArray<int>();
double accuracy = predicted.Zip(yTest).Count(pair => pair.First == pair.Second) / (double)yTest.Length;
Console.WriteLine(string.Create(inv, $"Best: {best.Parameters}; cross-validated accuracy {best.Score:F4} ± {best.Std:F4}; test accuracy {accuracy:F4}"));

// Why the model calls the first test tumour what it does: integrated gradients of that class's logit, from the
// average training tumour (all zeros once standardised) to this one.
var ig = new IntegratedGradients(model).Attribute(xTest.Slice(0, 0, 1), target: predicted[0], baseline: Baseline.TrainingMean(xTrain));
double[] attributions = ig.Attributions.ToDoubleArray();
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Test tumour 0, predicted {(predicted[0] == 0 ? "malignant" : "benign")} (truth: {(yTest[0] == 0 ? "malignant" : "benign")}); the measurements that moved its logit most:"));
foreach (int j in Enumerable.Range(0, names.Length).OrderByDescending(j => Math.Abs(attributions[j])).Take(5))
    Console.WriteLine(string.Create(inv, $"  {names[j],-24} {attributions[j],10:+0.0000;-0.0000}"));
Console.WriteLine(string.Create(inv, $"  Σ attributions − (F(x) − F(baseline)) = {ig.CompletenessError[0]:E2}, error bound {ig.ErrorBound[0]:E2}, {ig.Evaluations[0]} gradients"));

// Permutation importance over the test rows: how much the accuracy drops when one measurement is shuffled.
double Accuracy(Tensor rows, int[] labels) => model.Forward(rows).ArgMax(1).ToArray<int>().Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
var importance = PermutationImportance.Compute(Accuracy, xTest, yTest, repeats: 10, new Generator(Seed));
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Permutation importance on the test rows (accuracy {importance.BaselineScore:F4}, drop when shuffled, 10 repeats):"));
foreach (int j in Enumerable.Range(0, names.Length).OrderByDescending(j => importance.ImportancesMean[j]).Take(5))
    Console.WriteLine(string.Create(inv, $"  {names[j],-24} {importance.ImportancesMean[j],8:F4} ± {importance.ImportancesStd[j]:F4}"));
return Math.Abs(ig.CompletenessError[0]) < 1e-6 ? 0 : 1;

/// <summary>Hands each epoch's result to the search, which may stop the trial there.</summary>
internal sealed class EpochReport(Action<EpochResult> report) : ITrainingCallback
{
    public void OnEpochEnd(Trainer trainer, EpochResult epoch) => report(epoch);
}
