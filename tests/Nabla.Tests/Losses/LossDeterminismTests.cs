using Nabla.Losses;

namespace Nabla.Tests.Losses;

using Autograd = global::Nabla.Autograd;

/// <summary>The fused cross-entropy splits large batches across threads; its value and gradient must not depend on how many.</summary>
[Collection("Parallelism")]
public class LossDeterminismTests
{
    [Fact]
    public void CrossEntropy_ValueAndGradient_AreBitIdenticalAtOneAndFourThreads()
    {
        var generator = new Generator(40);
        var logits = Tensor.Randn([4096, 40], generator).RequiresGradient();
        var labels = Tensor.FromArray(Enumerable.Range(0, 4096).Select(i => (i * 13) % 40).ToArray());
        var loss = new CrossEntropyLoss(labelSmoothing: 0.05);

        (float[] Value, float[] Gradient) Run()
        {
            var value = loss.Forward(logits, labels);
            return (value.ToArray<float>(), Autograd.Grad(value, logits).ToArray<float>());
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var quad = ParallelismCollection.AtThreads(4, Run);
        Assert.Equal(single.Value, quad.Value);
        Assert.Equal(single.Gradient, quad.Gradient);
    }
}
