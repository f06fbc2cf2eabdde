// Linear regression by batch gradient descent, with the gradient worked out by hand.
//
//   hypothesis  hθ(x) = θ₀ + θ₁·x          (as matrices: Xθ, X has a column of ones)
//   cost        J(θ) = 1/(2m) Σᵢ (hθ(x⁽ⁱ⁾) − y⁽ⁱ⁾)²
//   gradient    ∂J/∂θ = 1/m · Xᵀ(Xθ − y)
//   update      θ := θ − α · ∂J/∂θ
//
// Data: ten houses, size in thousands of square feet and price in thousands of dollars.
using System.Globalization;
using Nabla;

const double alpha = 0.2;     // learning rate
const int iterations = 1500;

var (sizes, prices) = LoadHouses(Path.Combine(AppContext.BaseDirectory, "houses.csv"));
int m = sizes.Length;

// The design matrix X = [1, x] (m×2) and the targets y (m×1), in Float64 so the three
// examples agree to many digits.
var design = new double[m * 2];
for (int i = 0; i < m; i++) (design[2 * i], design[2 * i + 1]) = (1.0, sizes[i]);
var X = Tensor.FromArray(design, m, 2);
var y = Tensor.FromArray(prices, m, 1);
var theta = Tensor.Zeros([2, 1], DType.Float64);

for (int iteration = 1; iteration <= iterations; iteration++)
{
    var error = X.MatMul(theta) - y;                 // Xθ − y
    var gradient = X.T.MatMul(error) / m;            // ∂J/∂θ = 1/m · Xᵀ(Xθ − y)
    theta = theta - alpha * gradient;

    if (iteration == 1 || iteration % 300 == 0)
    {
        double cost = (error * error).Sum().Item() / (2 * m);   // J at the θ before this step
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iteration {iteration,5}   J(θ) = {cost,12:F4}"));
    }
}

double theta0 = theta[0, 0], theta1 = theta[1, 0];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"θ = [{theta0:F6}, {theta1:F6}]"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A 1,650 sq ft house: predicted price ${(theta0 + theta1 * 1.65) * 1000:N0}"));

static (double[] Sizes, double[] Prices) LoadHouses(string path)
{
    var rows = File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0)
        .Select(line => line.Split(',').Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray())
        .ToArray();
    return (rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray());
}
