// A two-layer sigmoid network trained by backpropagation written out by hand, the way the
// classic texts derive it, and checked against automatic differentiation at every report.
//
//   forward     z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾,  a⁽¹⁾ = σ(z⁽¹⁾),  z⁽²⁾ = W⁽²⁾a⁽¹⁾ + b⁽²⁾,  a⁽²⁾ = σ(z⁽²⁾)
//   cost        C = 1/(2m) Σᵢ (a⁽²⁾ − y)²
//   output      δ⁽²⁾ = (a⁽²⁾ − y) ⊙ σ'(z⁽²⁾) / m               σ'(z) = σ(z)(1 − σ(z))
//   hidden      δ⁽¹⁾ = (W⁽²⁾ᵀδ⁽²⁾) ⊙ σ'(z⁽¹⁾)
//   gradients   ∂C/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ,  ∂C/∂b⁽ˡ⁾ = Σᵢ δ⁽ˡ⁾
//
// With the m examples as the rows of X, each formula becomes one matrix product over the batch.
// The task (CircleData): is a point of the square [−1, 1]² inside the circle of radius 0.7?
using System.Globalization;
using Nabla;

const int samples = 400, hidden = 8, epochs = 3000;
const double learningRate = 4.0;

var generator = new Generator(seed: 7);
var (X, y) = CircleData.Sample(samples, generator);

// Small random weights break the symmetry between hidden units; biases start at zero.
var W1 = (Tensor.Randn([hidden, 2], generator, DType.Float64) * 0.5).RequiresGradient();
var b1 = Tensor.Zeros([hidden], DType.Float64).RequiresGradient();
var W2 = (Tensor.Randn([1, hidden], generator, DType.Float64) * 0.5).RequiresGradient();
var b2 = Tensor.Zeros([1], DType.Float64).RequiresGradient();
Tensor[] parameters = [W1, b1, W2, b2];
string[] names = ["W1", "b1", "W2", "b2"];

Console.WriteLine("epoch       cost   accuracy   max |hand − autograd| over all gradients");
for (int epoch = 0; epoch <= epochs; epoch++)
{
    Tensor[] gradients;
    double cost;
    using (Autograd.NoGrad())
        (gradients, cost) = Backpropagate(X, y);

    if (epoch % 500 == 0)
    {
        double difference = AgreementWithAutograd(gradients);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{epoch,5}   {cost,8:F5}   {Accuracy(),8:P1}   {difference:0.00e+00}"));
    }

    // Gradient descent: θ := θ − α ∂C/∂θ, outside the graph.
    using (Autograd.NoGrad())
    {
        for (int p = 0; p < parameters.Length; p++)
            parameters[p] = (parameters[p] - learningRate * gradients[p]).RequiresGradient();
        (W1, b1, W2, b2) = (parameters[0], parameters[1], parameters[2], parameters[3]);
    }
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"final accuracy {Accuracy():P1}"));

// The backward pass by the formulas above, for all m examples at once (rows of X).
(Tensor[] Gradients, double Cost) Backpropagate(Tensor x, Tensor target)
{
    int m = x.Shape[0];
    var z1 = x.MatMul(W1.T) + b1;                 // (m, hidden)
    var a1 = z1.Sigmoid();
    var z2 = a1.MatMul(W2.T) + b2;                // (m, 1)
    var a2 = z2.Sigmoid();
    var error = a2 - target;
    double c = (error * error).Sum().Item() / (2 * m);

    var delta2 = error * (a2 * (1 - a2)) / m;      // δ⁽²⁾, (m, 1)
    var delta1 = delta2.MatMul(W2) * (a1 * (1 - a1));  // δ⁽¹⁾ = (W⁽²⁾ᵀδ⁽²⁾) ⊙ σ'(z⁽¹⁾), (m, hidden)
    return ([delta1.T.MatMul(x), delta1.Sum(0), delta2.T.MatMul(a1), delta2.Sum(0)], c);
}

// The same cost, differentiated by autograd; the largest difference from the hand-written gradients.
double AgreementWithAutograd(Tensor[] byHand)
{
    var a2 = Forward(X);
    var error = a2 - y;
    var cost = (error * error).Sum() / (2 * samples);
    var byAutograd = Autograd.Grad([cost], [W1, b1, W2, b2]);
    double worst = 0;
    for (int p = 0; p < byHand.Length; p++)
    {
        var hand = byHand[p].ToArray<double>();
        var auto = byAutograd[p]!.ToArray<double>();
        for (int i = 0; i < hand.Length; i++)
        {
            double d = Math.Abs(hand[i] - auto[i]);
            if (d > worst) worst = d;
        }
        if (!byHand[p].Shape.SequenceEqual(byAutograd[p]!.Shape))
            throw new InvalidOperationException($"∂C/∂{names[p]} has the wrong shape.");
    }
    return worst;
}

Tensor Forward(Tensor x) => ((x.MatMul(W1.T) + b1).Sigmoid().MatMul(W2.T) + b2).Sigmoid();

double Accuracy()
{
    using var _ = Autograd.NoGrad();
    return CircleData.Accuracy(Forward(X), y);
}
