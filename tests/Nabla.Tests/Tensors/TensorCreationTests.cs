namespace Nabla.Tests.Tensors;

public class TensorCreationTests
{
    [Fact]
    public void FromArray_CopiesTheData_AndIsOneDimensionalWithoutShape()
    {
        var data = new double[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data);
        data[0] = 99;

        Assert.Equal([6], t.Shape);
        Assert.Equal(1, t.Rank);
        Assert.Equal(6, t.Length);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(1, t.ToArray<double>()[0]);
    }

    [Fact]
    public void FromArray_WithShape_LaysOutRowMajor()
    {
        var t = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(6, t[1, 2]);
        Assert.Equal(4, t[1, 0]);
        Assert.Equal(3, t[0, 2]);
    }

    [Fact]
    public void FromArray_OfOneValueWithEmptyShape_IsAScalar()
    {
        var t = Tensor.FromArray(new double[] { 2.5 }, []);
        Assert.Equal(0, t.Rank);
        Assert.Empty(t.Shape);
        Assert.Equal(2.5, t.Item());
    }

    [Fact]
    public void FromArray_OfOneValueWithoutShape_Is1D_AsTorchTensorOfAList()
    {
        var t = Tensor.FromArray(new double[] { 2.5 });
        Assert.Equal([1], t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([3], Tensor.FromArray(new float[] { 1, 2, 3 }).Shape);
        Assert.Equal([2], Tensor.FromArray(new int[] { 1, 2 }).Shape);
    }

    [Fact]
    public void FromArray_OfInts_IsInt32_AndCannotRequireGrad()
    {
        var t = Tensor.FromArray(new[] { 3, 1, 2 });
        Assert.Equal(DType.Int32, t.DType);
        Assert.False(t.IsFloatingPoint);
        var e = Assert.Throws<InvalidOperationException>(() => t.RequiresGrad = true);
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void FromArray_WhoseShapeDoesNotFitTheData_ThrowsShapeMismatch()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.FromArray(new double[] { 1, 2, 3, 4, 5 }, 2, 3));
        Assert.Contains("5 values", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void FromArray_WithNegativeDimension_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new double[] { 1, 2 }, -2, -1));
        Assert.Contains("non-negative", e.Message);
    }

    [Fact]
    public void FromArray_OfRectangularArrays_KeepsRowsAndColumns()
    {
        var f = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var d = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        Assert.Equal([2, 3], f.Shape);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, f.ToArray<float>());
        Assert.Equal([3, 2], d.Shape);
        Assert.Equal(5, d[2, 0]);
    }

    [Fact]
    public void Scalar_HasRankZero_AndTheRequestedType()
    {
        var s = Tensor.Scalar(4.25);
        var d = Tensor.Scalar(-1.5, DType.Float64);
        Assert.Equal(0, s.Rank);
        Assert.Equal(1, s.Length);
        Assert.Equal(DType.Float32, s.DType);
        Assert.Equal(4.25, s.Item());
        Assert.Equal(DType.Float64, d.DType);
        Assert.Equal(-1.5, d.Item());
    }

    [Fact]
    public void ZerosOnesFull_FillEveryElement_DefaultingToFloat32()
    {
        var z = Tensor.Zeros(2, 3);
        var o = Tensor.Ones([4], DType.Float64);
        var f = Tensor.Full([2, 2], 7, DType.Int32);
        Assert.Equal(DType.Float32, z.DType);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(DType.Float64, o.DType);
        Assert.All(o.ToArray<double>(), v => Assert.Equal(1.0, v));
        Assert.Equal(new[] { 7, 7, 7, 7 }, f.ToArray<int>());
    }

    [Fact]
    public void ZerosAndOnesLike_CopyShapeAndType_NotValuesOrGradState()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2).RequiresGradient();
        var z = Tensor.ZerosLike(x);
        var o = Tensor.OnesLike(x);
        Assert.Equal(x.Shape, z.Shape);
        Assert.Equal(DType.Float64, z.DType);
        Assert.Equal(new double[6], z.ToArray<double>());
        Assert.Equal(Enumerable.Repeat(1.0, 6), o.ToArray<double>());
        Assert.False(z.RequiresGrad);
        Assert.False(o.RequiresGrad);
    }

    [Fact]
    public void Zeros_WithAZeroDimension_IsEmpty()
    {
        var t = Tensor.Zeros(3, 0, 2);
        Assert.Equal(0, t.Length);
        Assert.Equal([3, 0, 2], t.Shape);
    }

    [Fact]
    public void Zeros_LargerThanAnArrayCanHold_ThrowsWithTheCount()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(100_000, 100_000));
        Assert.Contains("10000000000", e.Message);
    }

    [Fact]
    public void Arange_MatchesTorchArange()
    {
        // torch.arange(0, 1, 0.1, dtype=torch.float64).tolist()
        Assert.Equal([0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9],
            Tensor.Arange(0, 1, 0.1, DType.Float64).ToArray<double>());
        // torch.arange(1, 2.5, 0.5) and torch.arange(5, 0, -1.5)
        Assert.Equal([1.0, 1.5, 2.0], Tensor.Arange(1, 2.5, 0.5, DType.Float64).ToArray<double>());
        Assert.Equal([5.0, 3.5, 2.0, 0.5], Tensor.Arange(5, 0, -1.5, DType.Float64).ToArray<double>());
        // torch.arange(0, 1, 0.1, dtype=torch.float32): each value rounded to float once
        Assert.Equal([0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f], Tensor.Arange(0, 1, 0.1).ToArray<float>());
        Assert.Equal([0, 1, 2, 3, 4], Tensor.Arange(5, DType.Int32).ToArray<int>());
        Assert.Equal(0, Tensor.Arange(3, 3, 1).Length);
    }

    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(0, 5, -1)]
    [InlineData(5, 0, 1)]
    [InlineData(0, 5, double.NaN)]
    public void Arange_WithAStepThatNeverReachesTheEnd_Throws(double start, double end, double step)
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(start, end, step));
        Assert.StartsWith("Arange:", e.Message);
    }

    [Fact]
    public void Linspace_MatchesTorchLinspace_WithExactEndpoints()
    {
        // torch.linspace(-1, 2, 7, dtype=torch.float64).tolist()
        Assert.Equal([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0], Tensor.Linspace(-1, 2, 7, DType.Float64).ToArray<double>());
        // torch.linspace(0, 1, 10, dtype=torch.float64).tolist(). PyTorch's vectorized kernel steps
        // from the start of each SIMD block, so its last bits depend on the vector width; the values
        // agree to an ulp and both endpoints are exact.
        double[] torch = [0.0, 0.1111111111111111, 0.2222222222222222, 0.3333333333333333, 0.4444444444444444,
            0.5555555555555556, 0.6666666666666666, 0.7777777777777777, 0.8888888888888888, 1.0];
        var ten = Tensor.Linspace(0, 1, 10, DType.Float64).ToArray<double>();
        Assert.Equal(10, ten.Length);
        for (int i = 0; i < ten.Length; i++) Assert.Equal(torch[i], ten[i], 2e-16);
        Assert.Equal(0.0, ten[0]);
        Assert.Equal(1.0, ten[^1]);
        Assert.Equal([3.0], Tensor.Linspace(3, 3, 1, DType.Float64).ToArray<double>());
        Assert.Equal(0, Tensor.Linspace(0, 1, 0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Linspace(0, 1, -1));
    }

    [Fact]
    public void Eye_IsTheIdentity()
    {
        var eye = Tensor.Eye(3, DType.Float64);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, eye[i, j]);
        Assert.Equal(0, Tensor.Eye(0).Length);
    }

    [Fact]
    public void RandAndRandn_WithTheSameSeed_AreBitIdentical()
    {
        var a = Tensor.Rand([50, 3], new Generator(7), DType.Float64);
        var b = Tensor.Rand([50, 3], new Generator(7), DType.Float64);
        var c = Tensor.Rand([50, 3], new Generator(8), DType.Float64);
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        Assert.NotEqual(a.ToArray<double>(), c.ToArray<double>());
        Assert.All(a.ToArray<double>(), v => Assert.InRange(v, 0.0, 0.9999999999999999));

        var n1 = Tensor.Randn([100], new Generator(3));
        var n2 = Tensor.Randn([100], new Generator(3));
        Assert.Equal(DType.Float32, n1.DType);
        Assert.Equal(n1.ToArray<float>(), n2.ToArray<float>());
    }

    [Fact]
    public void Rand_DrawsTheGeneratorsSequenceInRowMajorOrder()
    {
        var expected = new Generator(11);
        var t = Tensor.Rand([2, 2], new Generator(11), DType.Float64);
        Assert.Equal([expected.NextDouble(), expected.NextDouble(), expected.NextDouble(), expected.NextDouble()], t.ToArray<double>());
    }

    [Fact]
    public void RandOfInt32_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Rand([2], new Generator(1), DType.Int32));
        Assert.Contains("Int32", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Randn([2], new Generator(1), DType.Int32));
    }

    [Fact]
    public void NewTensors_AreLeavesThatDoNotRequireGrad()
    {
        var t = Tensor.Zeros(2);
        Assert.True(t.IsLeaf);
        Assert.False(t.RequiresGrad);
        Assert.Null(t.Grad);
        Assert.Null(t.GradFnName);
        Assert.Same(t, t.RequiresGradient());
        Assert.True(t.RequiresGrad);
    }
}
