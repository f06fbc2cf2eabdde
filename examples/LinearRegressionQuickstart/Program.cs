// scikit-learn's linear regression quickstart, in C#: fit a line to one feature of a
// diabetes-like data set, predict the 20 held-out patients, print the coefficient, the mean
// squared error and the coefficient of determination R².
//
// The data are synthetic (no file to ship): 442 patients whose body-mass index, centred and
// scaled as in scikit-learn's diabetes set (values about ±0.1), drives a disease-progression score
// of 152 + 950·bmi plus noise of standard deviation 60, roughly the real set's relation.
using System.Globalization;
using Nabla;
using Nabla.Estimators;
using Nabla.Metrics;

const int Patients = 442, Held = 20;
var random = new Generator(seed: 7);
var bmi = new double[Patients, 1];
var progression = new double[Patients];
for (int i = 0; i < Patients; i++)
{
    bmi[i, 0] = 0.048 * random.NextNormal();
    progression[i] = 152 + 950 * bmi[i, 0] + 60 * random.NextNormal();
}

// The last 20 patients are held out for testing, as in the tutorial.
var (xTrain, xTest) = (Rows(bmi, 0, Patients - Held), Rows(bmi, Patients - Held, Held));
var (yTrain, yTest) = (progression[..^Held], progression[^Held..]);

var model = new LinearRegression().Fit(xTrain, yTrain);
double[] predicted = model.Predict(xTest).ToDoubleArray();

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine("Coefficients: " + string.Join(", ", model.Coef.ToDoubleArray().Select(c => c.ToString("F2", invariant))));
Console.WriteLine("Intercept: " + model.Intercept.ToDoubleArray()[0].ToString("F2", invariant));
Console.WriteLine("Mean squared error: " + RegressionMetrics.MeanSquaredError(yTest, predicted).ToString("F2", invariant));
Console.WriteLine("Coefficient of determination: " + RegressionMetrics.R2(yTest, predicted).ToString("F2", invariant));

static double[,] Rows(double[,] x, int start, int count)
{
    var part = new double[count, x.GetLength(1)];
    for (int i = 0; i < count; i++)
        for (int j = 0; j < x.GetLength(1); j++) part[i, j] = x[start + i, j];
    return part;
}
