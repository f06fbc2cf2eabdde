using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>
/// The sparse linear layer is x·W + b: checked against the same product on the dense matrix
/// (x.ToDense() MatMul W, autograd through plain tensor ops), values and gradients, in Float64.
/// </summary>
public class SparseLinearTests
{
    /// <summary>A 5 × 7 matrix with an empty row, a row with one entry and a full row.</summary>
    private static SparseRows Rows() => new(5, 7,
        rowPointers: [0, 2, 2, 3, 10, 12],
        columnIndices: [1, 4, 6, 0, 1, 2, 3, 4, 5, 6, 0, 5],
        values: [0.5, -1.25, 2, 1, 2, 3, 4, 5, 6, 7, -0.75, 0.125]);

    private static SparseLinear Layer()
    {
        var layer = new SparseLinear(7, 3, dtype: DType.Float64);
        var generator = new Generator(3);
        layer.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Randn([7, 3], generator, DType.Float64),
            ["bias"] = Tensor.Randn([3], generator, DType.Float64),
        });
        return layer;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        var e = expected.ToDoubleArray();
        var a = actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12 * Math.Max(1, Math.Abs(e[i])), $"element {i}: expected {e[i]:R}, got {a[i]:R}");
    }

    [Fact]
    public void Forward_IsTheDenseProduct_AndSoAreItsGradients()
    {
        var x = Rows();
        var layer = Layer();
        var upstream = Tensor.Randn([5, 3], new Generator(9), DType.Float64);

        var sparse = layer.Forward(x);
        (sparse * upstream).Sum().Backward();

        var w = layer.Weight.Detach().Clone().RequiresGradient();
        var b = layer.Bias!.Detach().Clone().RequiresGradient();
        var dense = x.ToDense(DType.Float64).MatMul(w) + b;
        (dense * upstream).Sum().Backward();

        AssertClose(dense, sparse);
        AssertClose(w.Grad!, layer.Weight.Grad!);
        AssertClose(b.Grad!, layer.Bias.Grad!);
        // The empty row is the bias alone.
        AssertClose(layer.Bias.Detach().Reshape(1, 3), sparse.Slice(0, 1, 1));
    }

    [Fact]
    public void Forward_OfChosenRows_IsThoseRowsInThatOrder()
    {
        var x = Rows();
        var layer = Layer();
        var all = layer.Forward(x);
        var chosen = layer.Forward(x, [4, 1, 3, 3]);
        AssertClose(Tensor.Concat([all.Slice(0, 4, 1), all.Slice(0, 1, 1), all.Slice(0, 3, 1), all.Slice(0, 3, 1)], 0), chosen);
    }

    [Fact]
    public void NewLayer_StartsAtZero_AndFloat32Works()
    {
        var layer = new SparseLinear(7, 3);
        Assert.All(layer.Forward(Rows()).ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.Equal(DType.Float32, layer.Forward(Rows()).DType);
    }

    [Fact]
    public void BadInput_IsRefused_NamingWhatIsWrong()
    {
        var layer = new SparseLinear(7, 3);
        Assert.Equal("SparseLinear: the rows have 7 columns, but the layer takes 8.",
            Assert.Throws<ShapeMismatchException>(() => new SparseLinear(8, 3).Forward(Rows())).Message);
        Assert.StartsWith("SparseLinear: rows[1] = 5 is outside the 5 rows of x.",
            Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(Rows(), [0, 5])).Message);
        Assert.Throws<NotSupportedException>(() => layer.Forward(Tensor.Zeros(2, 7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparseLinear(0, 3));
    }
}
