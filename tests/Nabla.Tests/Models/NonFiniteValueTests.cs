using Nabla.Models;

namespace Nabla.Tests.Models;

public class NonFiniteValueTests
{
    [Theory]
    [InlineData(0, double.NaN)]
    [InlineData(1_000, double.PositiveInfinity)]
    [InlineData(4_096, double.NegativeInfinity)]
    public void First_FindsTheFirstNonFiniteValue_InEitherFloatType(int at, double bad)
    {
        var values = Enumerable.Range(0, 5_000).Select(i => i * 0.5).ToArray();
        values[at] = bad;
        values[^1] = double.NaN;

        Assert.Equal((at, bad), NonFiniteValue.First(Tensor.FromArray(values, values.Length)));
        Assert.Equal((at, bad), NonFiniteValue.First(Tensor.FromArray(values, values.Length).To(DType.Float32)));
    }

    [Fact]
    public void First_IsNullForFiniteValues_EvenWhenTheirSumOverflows()
    {
        float[] large = [3e38f, 3e38f, -1f];

        Assert.Null(NonFiniteValue.First(Tensor.FromArray(large, large.Length)));
        Assert.Null(NonFiniteValue.First(Tensor.Zeros([3], DType.Int32)));
    }
}
