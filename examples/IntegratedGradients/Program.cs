// Integrated gradients: how much each input feature contributed to a model's output, measured
// against a baseline input x' (here all zeros, "no signal"). Along the straight path from x' to x,
// add up how sensitive the output is to feature i:
//
//   attributionᵢ = (xᵢ − x'ᵢ) · ∫₀¹ ∂F/∂xᵢ (x' + α(x − x')) dα
//
// The gradient comes from automatic differentiation, the integral from adaptive Gauss–Kronrod
// quadrature. By the fundamental theorem of calculus for line integrals, the attributions add up
// exactly to F(x) − F(x') (the "completeness" axiom); the program checks it.
using System.Globalization;
using Nabla;
using Nabla.Calculus;

// A fixed two-layer network, F(x) = σ(w₂ · tanh(W₁x + b₁) + b₂): 4 features, 3 hidden units.
var W1 = Tensor.FromArray(new double[,]
{
    { 0.8, -0.5, 0.3, 1.1 },
    { -0.6, 0.9, 0.7, -0.2 },
    { 0.4, 0.2, -1.0, 0.5 },
});
var b1 = Tensor.FromArray(new double[] { 0.1, -0.3, 0.2 }, 3, 1);
var w2 = Tensor.FromArray(new double[,] { { 1.5, -1.2, 0.9 } });
var b2 = Tensor.FromArray(new double[] { -0.2 }, 1, 1);

string[] features = ["age", "income", "debt", "tenure"];
double[] input = [1.2, -0.7, 2.0, 0.5];
double[] baseline = [0, 0, 0, 0];

Tensor Model(Tensor x) => (w2.MatMul((W1.MatMul(x) + b1).Tanh()) + b2).Sigmoid().Sum();

double Output(double[] x) => Model(Tensor.FromArray(x, x.Length, 1)).Item();

// ∂F/∂xᵢ at a point, by reverse-mode autodiff.
double PartialDerivative(double[] point, int i)
{
    var x = Tensor.FromArray(point, point.Length, 1).RequiresGradient();
    return Autograd.Grad(Model(x), x)[i, 0];
}

double[] PointOnPath(double alpha) => [.. input.Select((xi, j) => baseline[j] + alpha * (xi - baseline[j]))];

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"F(x) = σ(w₂·tanh(W₁x + b₁) + b₂), x = [{string.Join(", ", input)}], baseline x' = [{string.Join(", ", baseline)}]"));
Console.WriteLine();
Console.WriteLine($"{"feature",-8} {"x − x'",8} {"attribution",15} {"error bound",12} {"evaluations",12}");

double total = 0, totalBound = 0;
bool allConverged = true;
for (int i = 0; i < input.Length; i++)
{
    int feature = i;
    var integral = Integrate.Adaptive(alpha => PartialDerivative(PointOnPath(alpha), feature), 0, 1, relativeTolerance: 1e-12);
    double delta = input[i] - baseline[i];
    double attribution = delta * integral.Value;
    double bound = Math.Abs(delta) * integral.ErrorEstimate;
    total += attribution;
    totalBound += bound;
    allConverged &= integral.Converged;
    Console.WriteLine(string.Create(inv, $"{features[i],-8} {delta,8:F3} {attribution,15:F12} {bound,12:G2} {integral.Evaluations,12}{(integral.Converged ? "" : "  not converged: " + integral.Message)}"));
}

double difference = Output(input) - Output(baseline);
double gap = Math.Abs(total - difference);
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Σ attributions  = {total:F12}"));
Console.WriteLine(string.Create(inv, $"F(x) − F(x')    = {difference:F12}"));
// The bound allows for the quadrature errors and the rounding of the two forward passes.
bool complete = allConverged && gap <= totalBound + 1e-14;
Console.WriteLine(string.Create(inv, $"completeness: |Σ − ΔF| = {gap:G2}, within the error bound {totalBound:G2}: {(complete ? "yes" : "NO")}"));
return complete ? 0 : 1;
