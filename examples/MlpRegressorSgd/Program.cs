// scikit-learn's MLPRegressor snippet, in C#: a network of two hidden layers of 10 units trained
// by stochastic gradient descent, printing its loss after every epoch (verbose) until the loss
// stops improving, then its R² on held-out samples.
//
// The data are synthetic: 300 points with three features uniform in [−1, 1] and the target
// sin(πx₀) + x₁² − x₂/2 plus a little noise; 240 train, 60 are held out.
using System.Globalization;
using Nabla;
using Nabla.Estimators;

const int Samples = 300, Train = 240, Features = 3;
var random = new Generator(seed: 11);
var x = new double[Samples, Features];
var y = new double[Samples];
for (int i = 0; i < Samples; i++)
{
    for (int j = 0; j < Features; j++) x[i, j] = 2 * random.NextDouble() - 1;
    y[i] = Math.Sin(Math.PI * x[i, 0]) + x[i, 1] * x[i, 1] - 0.5 * x[i, 2] + 0.05 * random.NextNormal();
}
var (xTrain, xTest) = (Rows(x, 0, Train), Rows(x, Train, Samples - Train));
var (yTrain, yTest) = (y[..Train], y[Train..]);

var model = new MlpRegressor(hiddenLayerSizes: [10, 10], maxIter: 1000, alpha: 1e-4, solver: Solver.Sgd, verbose: 1, randomState: 1);
model.Fit(xTrain, yTrain);

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"Epochs: {model.NIter}");
Console.WriteLine("Training R²: " + model.Score(xTrain, yTrain).ToString("F4", invariant));
Console.WriteLine("Test R²: " + model.Score(xTest, yTest).ToString("F4", invariant));

static double[,] Rows(double[,] x, int start, int count)
{
    var part = new double[count, x.GetLength(1)];
    for (int i = 0; i < count; i++)
        for (int j = 0; j < x.GetLength(1); j++) part[i, j] = x[start + i, j];
    return part;
}
