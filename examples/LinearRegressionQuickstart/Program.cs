// scikit-learn's linear regression quickstart, in C#: fit a line to one feature (body-mass index)
// of the diabetes data, predict the 20 held-out patients, print the coefficient, the mean squared
// error and the coefficient of determination R².
//
// The data are the diabetes set built into the library (442 patients, raw measurements; the
// tutorial uses scikit-learn's scaled copy, which changes the coefficient's units but not the
// predictions, so the errors are the tutorial's: mean squared error 2548.07, R² 0.47).
using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Metrics;

const int Held = 20;
var diabetes = Datasets.Diabetes();
int bmiColumn = diabetes.FeatureNames.ToList().IndexOf("bmi");
double[] bmi = diabetes.Features.Slice(1, bmiColumn, 1).ToDoubleArray();
double[] progression = diabetes.Target.ToDoubleArray();
int patients = progression.Length;

// The last 20 patients are held out for testing, as in the tutorial.
var (xTrain, xTest) = (Column(bmi[..^Held]), Column(bmi[^Held..]));
var (yTrain, yTest) = (progression[..^Held], progression[^Held..]);

var model = new LinearRegression().Fit(xTrain, yTrain);
double[] predicted = model.Predict(xTest).ToDoubleArray();

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"Patients: {patients}, held out: {Held}");
Console.WriteLine("Coefficients: " + string.Join(", ", model.Coef.ToDoubleArray().Select(c => c.ToString("F2", invariant))));
Console.WriteLine("Intercept: " + model.Intercept.ToDoubleArray()[0].ToString("F2", invariant));
Console.WriteLine("Mean squared error: " + RegressionMetrics.MeanSquaredError(yTest, predicted).ToString("F2", invariant));
Console.WriteLine("Coefficient of determination: " + RegressionMetrics.R2(yTest, predicted).ToString("F2", invariant));

static double[,] Column(double[] values)
{
    var x = new double[values.Length, 1];
    for (int i = 0; i < values.Length; i++) x[i, 0] = values[i];
    return x;
}
