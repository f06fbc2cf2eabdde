namespace Nabla.Tests.Tensors;

/// <summary>
/// ToString prints the values exactly as PyTorch 1.13 does (torch/_tensor_str.py, default print
/// options), then Nabla's shape and dtype. Each expected text is PyTorch's <c>repr</c> of the same
/// values, produced with <c>torch.set_default_dtype(torch.float64)</c> and pasted here.
/// </summary>
public class TensorFormatterTests
{
    /// <summary>
    /// Replaces PyTorch's closing (")" or ", dtype=torch.…)") with Nabla's ", shape=[…], dtype=…)"
    /// and compares.
    /// </summary>
    private static void AssertPrintsLikeTorch(string torchRepr, Tensor t)
    {
        int dtype = torchRepr.IndexOf(", dtype=torch.", StringComparison.Ordinal);
        string values = dtype >= 0 ? torchRepr[..dtype] : torchRepr[..^1];
        Assert.Equal($"{values}, shape=[{string.Join(", ", t.Shape)}], dtype={t.DType})", t.ToString());
    }

    private static Tensor F64(double[] values, params int[] shape) => Tensor.FromArray(values, shape);

    [Fact]
    public void Integers_PrintWithATrailingPoint()
    {
        // torch.tensor([[1., 2.], [3., 4.]])
        AssertPrintsLikeTorch("""
            tensor([[1., 2.],
                    [3., 4.]])
            """, F64([1, 2, 3, 4], 2, 2));
    }

    [Fact]
    public void Fractions_PrintWithFourDecimals_RightAligned()
    {
        // torch.tensor([[1., 2.5], [-3.25, 4.]])
        AssertPrintsLikeTorch("""
            tensor([[ 1.0000,  2.5000],
                    [-3.2500,  4.0000]])
            """, F64([1, 2.5, -3.25, 4], 2, 2));
    }

    [Fact]
    public void Float32_PrintsTheFloatValue()
    {
        // torch.tensor([0.1, -2.0], dtype=torch.float32)
        AssertPrintsLikeTorch("tensor([ 0.1000, -2.0000], dtype=torch.float32)", Tensor.FromArray(new[] { 0.1f, -2f }));
    }

    [Fact]
    public void IntegersSpanningOverAThousandfold_PrintInScientific()
    {
        // torch.tensor([1., 2000.])
        AssertPrintsLikeTorch("tensor([1.0000e+00, 2.0000e+03])", F64([1, 2000]));
        // torch.tensor([1e9, 2e9])
        AssertPrintsLikeTorch("tensor([1.0000e+09, 2.0000e+09])", F64([1e9, 2e9]));
    }

    [Fact]
    public void FractionsThatAreTinyHugeOrWide_PrintInScientific()
    {
        // torch.tensor([1e-5, 1.0, 123.456])
        AssertPrintsLikeTorch("tensor([1.0000e-05, 1.0000e+00, 1.2346e+02])", F64([1e-5, 1, 123.456]));
        // torch.tensor([1.5e9, 2.0])
        AssertPrintsLikeTorch("tensor([1.5000e+09, 2.0000e+00])", F64([1.5e9, 2]));
        // torch.tensor([1e-5, 2e-5])
        AssertPrintsLikeTorch("tensor([1.0000e-05, 2.0000e-05])", F64([1e-5, 2e-5]));
    }

    [Fact]
    public void NonFiniteValues_DoNotWidenTheColumns()
    {
        // torch.tensor([1., float('nan'), -float('inf')])
        AssertPrintsLikeTorch("tensor([1., nan, -inf])", F64([1, double.NaN, double.NegativeInfinity]));
        // torch.tensor([float('nan'), 0.])
        AssertPrintsLikeTorch("tensor([nan, 0.])", F64([double.NaN, 0]));
    }

    [Fact]
    public void ZerosAndNegativeZero_PrintAsIntegers()
    {
        // torch.zeros(3); torch.tensor([-0.0, 1.0])
        AssertPrintsLikeTorch("tensor([0., 0., 0.])", F64([0, 0, 0]));
        AssertPrintsLikeTorch("tensor([-0., 1.])", F64([-0.0, 1]));
    }

    [Fact]
    public void Scalars_PrintWithoutBrackets()
    {
        // torch.tensor(1.5); torch.tensor(3.)
        AssertPrintsLikeTorch("tensor(1.5000)", Tensor.Scalar(1.5, DType.Float64));
        AssertPrintsLikeTorch("tensor(3.)", Tensor.Scalar(3, DType.Float64));
        // torch.tensor([-7.])
        AssertPrintsLikeTorch("tensor([-7.])", F64([-7], 1));
    }

    [Fact]
    public void Int32_PrintsPlainIntegers_RightAligned()
    {
        // torch.tensor([1, -20, 300], dtype=torch.int32)
        AssertPrintsLikeTorch("tensor([  1, -20, 300], dtype=torch.int32)", Tensor.FromArray(new[] { 1, -20, 300 }));
    }

    [Fact]
    public void EmptyTensors_PrintEmptyBrackets()
    {
        // torch.zeros(2, 0) prints "tensor([], size=(2, 0))"; Nabla always states the shape.
        Assert.Equal("tensor([], shape=[2, 0], dtype=Float64)", Tensor.Zeros([2, 0], DType.Float64).ToString());
        Assert.Equal("tensor([], shape=[0], dtype=Float32)", Tensor.Zeros(0).ToString());
    }

    [Fact]
    public void HigherRanks_SeparateBlocksByBlankLines()
    {
        // torch.arange(8.).reshape(2, 2, 2)
        AssertPrintsLikeTorch("""
            tensor([[[0., 1.],
                     [2., 3.]],

                    [[4., 5.],
                     [6., 7.]]])
            """, Tensor.Arange(8, DType.Float64).Reshape(2, 2, 2));
    }

    [Fact]
    public void LongRows_WrapAtEightyCharacters()
    {
        // torch.arange(20.)
        AssertPrintsLikeTorch("""
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19.])
            """, Tensor.Arange(20, DType.Float64));
        // torch.linspace(0, 1, 15)
        AssertPrintsLikeTorch("""
            tensor([0.0000, 0.0714, 0.1429, 0.2143, 0.2857, 0.3571, 0.4286, 0.5000, 0.5714,
                    0.6429, 0.7143, 0.7857, 0.8571, 0.9286, 1.0000])
            """, Tensor.Linspace(0, 1, 15, DType.Float64));
    }

    [Fact]
    public void LongRowsOfAMatrix_WrapUnderTheirOwnBracket()
    {
        // torch.arange(40.).reshape(2, 20) / 4
        AssertPrintsLikeTorch("""
            tensor([[0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,
                     2.2500, 2.5000, 2.7500, 3.0000, 3.2500, 3.5000, 3.7500, 4.0000, 4.2500,
                     4.5000, 4.7500],
                    [5.0000, 5.2500, 5.5000, 5.7500, 6.0000, 6.2500, 6.5000, 6.7500, 7.0000,
                     7.2500, 7.5000, 7.7500, 8.0000, 8.2500, 8.5000, 8.7500, 9.0000, 9.2500,
                     9.5000, 9.7500]])
            """, Tensor.Arange(40, DType.Float64).Reshape(2, 20) / 4);
    }

    [Fact]
    public void OverAThousandElements_ShowsThreeAtEachEdge()
    {
        // torch.arange(1001.)
        AssertPrintsLikeTorch("tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])", Tensor.Arange(1001, DType.Float64));
        // torch.arange(2000, dtype=torch.int32)
        AssertPrintsLikeTorch("tensor([   0,    1,    2,  ..., 1997, 1998, 1999], dtype=torch.int32)", Tensor.Arange(2000, DType.Int32));
        // Exactly 1000 elements are all shown.
        Assert.DoesNotContain("...", Tensor.Arange(1000, DType.Float64).ToString());
    }

    [Fact]
    public void OverAThousandElements_InAMatrix_ElidesRowsAndColumns()
    {
        // torch.arange(1200.).reshape(40, 30): 0 to 1199 span over a thousandfold, so scientific.
        AssertPrintsLikeTorch("""
            tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,
                     2.9000e+01],
                    [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,
                     5.9000e+01],
                    [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,
                     8.9000e+01],
                    ...,
                    [1.1100e+03, 1.1110e+03, 1.1120e+03,  ..., 1.1370e+03, 1.1380e+03,
                     1.1390e+03],
                    [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1670e+03, 1.1680e+03,
                     1.1690e+03],
                    [1.1700e+03, 1.1710e+03, 1.1720e+03,  ..., 1.1970e+03, 1.1980e+03,
                     1.1990e+03]])
            """, Tensor.Arange(1200, DType.Float64).Reshape(40, 30));
    }

    [Fact]
    public void OverAThousandElements_InThreeDimensions_ElidesBlocks()
    {
        // torch.arange(2000.).reshape(10, 10, 20): first block, the elided blocks, last block.
        var text = Tensor.Arange(2000, DType.Float64).Reshape(10, 10, 20).ToString();
        Assert.StartsWith("""
            tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.7000e+01,
                      1.8000e+01, 1.9000e+01],
                     [2.0000e+01, 2.1000e+01, 2.2000e+01,  ..., 3.7000e+01,
                      3.8000e+01, 3.9000e+01],
                     [4.0000e+01, 4.1000e+01, 4.2000e+01,  ..., 5.7000e+01,
                      5.8000e+01, 5.9000e+01],
                     ...,
                     [1.4000e+02, 1.4100e+02, 1.4200e+02,  ..., 1.5700e+02,
                      1.5800e+02, 1.5900e+02],
            """, text);
        Assert.Contains("""
                      5.9800e+02, 5.9900e+02]],

                    ...,

                    [[1.4000e+03, 1.4010e+03, 1.4020e+03,  ..., 1.4170e+03,
            """, text);
        Assert.EndsWith("""
                     [1.9800e+03, 1.9810e+03, 1.9820e+03,  ..., 1.9970e+03,
                      1.9980e+03, 1.9990e+03]]], shape=[10, 10, 20], dtype=Float64)
            """, text);
    }

    [Fact]
    public void GraphState_IsShownAfterTheDtype()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequiresGradient();
        Assert.Equal("tensor([1., 2.], shape=[2], dtype=Float64, requiresGrad=true)", x.ToString());
        Assert.Equal("tensor([2., 4.], shape=[2], dtype=Float64, gradFn=MultiplyScalar)", (x * 2.0).ToString());
    }
}
