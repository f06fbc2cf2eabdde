// The derivative as the limit of difference quotients, f'(x) = lim_{h→0} (f(x + h) − f(x)) / h,
// for f(x) = sin x at x = 1, where the exact answer is cos 1.
//
//   forward  (f(x + h) − f(x)) / h          truncation error ≈ h/2 · |f''|      (first order)
//   central  (f(x + h) − f(x − h)) / 2h     truncation error ≈ h²/6 · |f'''|    (second order)
//
// Shrinking h shrinks the truncation error, but f(x + h) and f(x) agree in more and more leading
// digits, and their difference keeps only what is left: round-off error ≈ ε·|f|/h, with
// ε ≈ 2.2e-16. The two balance near h ≈ √ε ≈ 1e-8 for the forward quotient and h ≈ ε^(1/3) ≈ 1e-5
// for the central one; below that the quotients get worse, not better.
//
// Ridders' method (NumericDiff.Derivative) takes the limit properly: central quotients for a
// shrinking h, extrapolated to h = 0 before round-off takes over, with an error estimate.
using System.Globalization;
using Nabla.Calculus;

const double x = 1;
double exact = Math.Cos(x);
Func<double, double> f = Math.Sin;

Console.WriteLine("f(x) = sin x at x = 1; f'(1) = cos 1 = " + Show(exact, "F15"));
Console.WriteLine();
Console.WriteLine("      h      forward quotient     error      central quotient     error");

(double H, double Error) bestForward = (0, double.PositiveInfinity), bestCentral = (0, double.PositiveInfinity);
for (int k = 1; k <= 15; k++)
{
    double h = Math.Pow(10, -k);
    double forward = (f(x + h) - f(x)) / h;
    double central = (f(x + h) - f(x - h)) / (2 * h);
    double forwardError = Math.Abs(forward - exact), centralError = Math.Abs(central - exact);
    if (forwardError < bestForward.Error) bestForward = (h, forwardError);
    if (centralError < bestCentral.Error) bestCentral = (h, centralError);
    Console.WriteLine(Show(h, "0e+00", 7) + Show(forward, "F15", 22) + Show(forwardError, "0.0e+00", 10)
        + Show(central, "F15", 22) + Show(centralError, "0.0e+00", 10));
}

Console.WriteLine();
Console.WriteLine($"best forward quotient: h = {Show(bestForward.H, "0e+00")} (error {Show(bestForward.Error, "0.0e+00")})");
Console.WriteLine($"best central quotient: h = {Show(bestCentral.H, "0e+00")} (error {Show(bestCentral.Error, "0.0e+00")})");

var ridders = NumericDiff.Derivative(f, x);
Console.WriteLine($"Ridders: f'(1) = {Show(ridders.Value, "R")} ± {Show(ridders.Error, "0.0e+00")} (estimated), true error {Show(Math.Abs(ridders.Value - exact), "0.0e+00")}");

static string Show(double value, string format, int width = 0) =>
    value.ToString(format, CultureInfo.InvariantCulture).PadLeft(width);
