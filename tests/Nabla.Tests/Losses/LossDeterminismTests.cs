using Nabla.Losses;

namespace Nabla.Tests.Losses;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// The fused cross-entropy splits large batches across threads, and the L2 penalty large weights;
/// their values and gradients must not depend on how many.
/// </summary>
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

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void L2Penalty_ValueAndGradient_AreBitIdenticalAtOneAndFourThreads(DType dtype)
    {
        var generator = new Generator(41);
        // Above the length at which the penalty's passes are cut into parallel pieces, and not a whole number of pieces.
        var large = Tensor.Randn([300, 701], generator, dtype).RequiresGradient();
        var small = Tensor.Randn([128, 10], generator, dtype).RequiresGradient();
        var input = Tensor.Randn([8, 3], generator, dtype);
        var target = Tensor.Randn([8, 3], generator, dtype);
        var loss = new L2Penalized(new MseLoss(), [large, small], 0.3, perSample: true);

        (double Value, double[] Large, double[] Small) Run()
        {
            // Gradients already there, as a trainer that reuses them leaves them: the penalty adds into them.
            large.Grad = Tensor.OnesLike(large);
            small.Grad = Tensor.OnesLike(small);
            var value = loss.Forward(input, target);
            value.Backward();
            return (value.Item(), large.Grad.ToDoubleArray(), small.Grad.ToDoubleArray());
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var quad = ParallelismCollection.AtThreads(4, Run);
        Assert.Equal(BitConverter.DoubleToInt64Bits(single.Value), BitConverter.DoubleToInt64Bits(quad.Value));
        Assert.Equal(single.Large, quad.Large);
        Assert.Equal(single.Small, quad.Small);
    }
}
