// The network of BackpropByHand, 2 inputs → 8 sigmoid units → 1 sigmoid output, on the same
// circle, written the way one writes networks day to day: layers in a Sequential, a loss object,
// and the Adam optimizer. Backward() computes every δ of the hand-written version; Step() applies
// Adam's update, θ := θ − α·m̂/(√v̂ + ε), with running averages m of the gradient and v of its square.
using System.Globalization;
using Nabla;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

const int samples = 400, epochs = 600;

var generator = new Generator(seed: 7);
var (X, y) = CircleData.Sample(samples, generator);

var model = new Sequential(
    new Linear(2, 8, generator: generator, dtype: DType.Float64), new Sigmoid(),
    new Linear(8, 1, generator: generator, dtype: DType.Float64), new Sigmoid());
var loss = new MseLoss();                  // mean of (a − y)²: twice the hand-written C, the same minimum
var optimizer = new Adam(model.Parameters(), learningRate: 0.05);

Console.WriteLine(model);
Console.WriteLine($"{model.ParameterCount} parameters");
Console.WriteLine("epoch       loss   accuracy");
for (int epoch = 0; epoch <= epochs; epoch++)
{
    optimizer.ZeroGrad();
    var output = model.Forward(X);
    var cost = loss.Forward(output, y);
    if (epoch % 100 == 0)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{epoch,5}   {cost.Item(),8:F5}   {CircleData.Accuracy(output, y),8:P1}"));
    cost.Backward();
    optimizer.Step();
}

model.Eval();
using (Autograd.NoGrad())
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"final accuracy {CircleData.Accuracy(model.Forward(X), y):P1}"));
