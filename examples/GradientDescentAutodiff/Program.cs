// The same linear regression as GradientDescentByHand, but the gradient comes from automatic
// differentiation: write the cost, call Backward(), read θ.Grad.
//
//   cost        J(θ) = 1/(2m) Σᵢ (hθ(x⁽ⁱ⁾) − y⁽ⁱ⁾)²,  hθ(x) = θ₀ + θ₁·x
//   update      θ := θ − α · ∂J/∂θ        (∂J/∂θ computed by J.Backward())
using System.Globalization;
using Nabla;

const double alpha = 0.2;     // learning rate
const int iterations = 1500;

var (sizes, prices) = LoadHouses(Path.Combine(AppContext.BaseDirectory, "houses.csv"));
int m = sizes.Length;

var design = new double[m * 2];
for (int i = 0; i < m; i++) (design[2 * i], design[2 * i + 1]) = (1.0, sizes[i]);
var X = Tensor.FromArray(design, m, 2);
var y = Tensor.FromArray(prices, m, 1);

// RequiresGradient() asks autograd to record what is computed from θ.
var theta = Tensor.Zeros([2, 1], DType.Float64).RequiresGradient();

for (int iteration = 1; iteration <= iterations; iteration++)
{
    var error = X.MatMul(theta) - y;
    var cost = (error * error).Sum() / (2 * m);      // J(θ)
    cost.Backward();                                 // θ.Grad = ∂J/∂θ

    // The update itself must not be recorded: it is not part of the model.
    using (Autograd.NoGrad())
        theta = (theta - alpha * theta.Grad!).RequiresGradient();

    if (iteration == 1 || iteration % 300 == 0)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iteration {iteration,5}   J(θ) = {cost.Item(),12:F4}"));
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
