namespace Nabla.Tests.Ops;

/// <summary>
/// Bad input gets a clear, specific message: the op and both shapes on a shape mismatch, the types on
/// a type mismatch, the axis and rank on a bad axis, the index and size on a bad index, and what to do
/// on a misuse of autograd.
/// </summary>
public class ErrorMessageTests
{
    private static Tensor F64(params int[] shape) => Tensor.Zeros(shape, DType.Float64);

    private static Tensor Param(params int[] shape) => Tensor.Randn(shape, new Generator(3), DType.Float64).RequiresGradient();

    private static void AssertContainsAll(string message, params string[] parts)
    {
        foreach (var part in parts) Assert.True(message.Contains(part, StringComparison.Ordinal), $"Expected \"{part}\" in: {message}");
    }

    // ---- shapes ----------------------------------------------------------------------------------

    [Fact]
    public void MatMul_InnerDimensionsDiffer_NamesOpShapesAndDimensions()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(64, 784).MatMul(Tensor.Zeros(100, 10)));
        AssertContainsAll(error.Message, "MatMul", "[64, 784]", "[100, 10]", "784", "100");
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 4 })]
    [InlineData(new[] { 2, 3 }, new[] { 4 })]
    [InlineData(new[] { 3 }, new[] { 4, 2 })]
    [InlineData(new[] { 2, 2, 3 }, new[] { 2, 4, 2 })]
    public void MatMul_VectorAndBatchedMismatch_NamesBothShapes(int[] a, int[] b)
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(a).MatMul(F64(b)));
        AssertContainsAll(error.Message, "MatMul", Format(a), Format(b));
    }

    [Fact]
    public void MatMul_BatchDimensionsDoNotBroadcast_NamesBothFullShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(2, 3, 4).MatMul(F64(3, 4, 5)));
        AssertContainsAll(error.Message, "MatMul", "[2, 3, 4]", "[3, 4, 5]", "batch");
    }

    [Fact]
    public void MatMul_ScalarOperand_SaysToUseMultiply()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64().MatMul(F64(3)));
        AssertContainsAll(error.Message, "MatMul", "[]", "[3]", "*");
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Subtract")]
    [InlineData("Multiply")]
    [InlineData("Divide")]
    [InlineData("Pow")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void Broadcast_Incompatible_NamesOpAndBothShapes(string op)
    {
        var (a, b) = (F64(3, 4), F64(5));
        Func<Tensor> call = op switch
        {
            "Add" => () => a + b,
            "Subtract" => () => a - b,
            "Multiply" => () => a * b,
            "Divide" => () => a / b,
            "Pow" => () => Tensor.Pow(a, b),
            "Maximum" => () => Tensor.Maximum(a, b),
            _ => () => Tensor.Minimum(a, b),
        };
        var error = Assert.Throws<ShapeMismatchException>(() => call());
        AssertContainsAll(error.Message, op, "[3, 4]", "[5]", "broadcast");
    }

    [Fact]
    public void Where_ShapesDoNotBroadcast_NamesWhere()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Where(F64(2, 3), F64(2, 3), F64(4)));
        AssertContainsAll(error.Message, "Where", "[2, 3]", "[4]");
    }

    [Fact]
    public void BroadcastTo_Incompatible_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(3).BroadcastTo(2, 4));
        AssertContainsAll(error.Message, "BroadcastTo", "[3]", "[2, 4]");
    }

    [Fact]
    public void Reshape_WrongElementCount_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(2, 3).Reshape(4, 2));
        AssertContainsAll(error.Message, "Reshape", "[4, 2]", "[2, 3]", "8", "6");
    }

    [Fact]
    public void Reshape_InferredDimensionDoesNotFit_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(2, 3).Reshape(-1, 4));
        AssertContainsAll(error.Message, "Reshape", "[-1, 4]", "[2, 3]");
    }

    [Fact]
    public void Reshape_TwoInferredDimensions_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(2, 3).Reshape(-1, -1));
        AssertContainsAll(error.Message, "Reshape", "-1");
    }

    [Fact]
    public void Reshape_NegativeDimension_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(2, 3).Reshape(-2, -3));
        AssertContainsAll(error.Message, "Reshape", "[-2, -3]");
    }

    [Fact]
    public void Concat_OtherDimensionsDiffer_NamesShapesAndAxis()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Concat([F64(2, 3), F64(2, 4)], 0));
        AssertContainsAll(error.Message, "Concat", "[2, 3]", "[2, 4]", "axis 0");
    }

    [Fact]
    public void Concat_DifferentTypes_NamesBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Concat([F64(2), Tensor.Zeros(2)]));
        AssertContainsAll(error.Message, "Concat", "Float32", "Float64");
    }

    [Fact]
    public void Concat_Empty_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Concat([]));
        AssertContainsAll(error.Message, "Concat");
    }

    [Fact]
    public void Stack_ShapesDiffer_NamesBoth()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Stack([F64(2, 3), F64(3, 2)]));
        AssertContainsAll(error.Message, "Stack", "[2, 3]", "[3, 2]");
    }

    [Fact]
    public void Gather_IndexOfWrongRankOrTooLarge_NamesShapes()
    {
        var rank = Assert.Throws<ShapeMismatchException>(() => F64(3, 4).Gather(1, Tensor.FromArray(new[] { 0, 1 })));
        AssertContainsAll(rank.Message, "Gather", "rank 2", "[2]");
        var large = Assert.Throws<ShapeMismatchException>(() => F64(3, 4).Gather(1, Tensor.Zeros([5, 1], DType.Int32)));
        AssertContainsAll(large.Message, "Gather", "[5, 1]", "[3, 4]");
    }

    // ---- types -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("Add")]
    [InlineData("Multiply")]
    [InlineData("MatMul")]
    [InlineData("Where")]
    public void MixedFloat32AndFloat64_NamesOpAndBothTypes(string op)
    {
        var (a, b) = (Tensor.Zeros(2, 2), F64(2, 2));
        Func<Tensor> call = op switch
        {
            "Add" => () => a + b,
            "Multiply" => () => a * b,
            "MatMul" => () => a.MatMul(b),
            _ => () => Tensor.Where(Tensor.Ones(2, 2), a, b),
        };
        var error = Assert.Throws<ArgumentException>(() => call());
        AssertContainsAll(error.Message, op, "Float32", "Float64", "To(DType");
    }

    public static TheoryData<string> IntegerOps() =>
    [
        "Add", "Multiply", "Neg", "Exp", "Log", "Sqrt", "Pow", "Sin", "Tanh", "Sigmoid", "Relu", "Softmax", "Sum", "Mean", "Max", "Var", "MatMul", "Clamp",
    ];

    [Theory]
    [MemberData(nameof(IntegerOps))]
    public void Int32InMathOp_NamesOpAndSaysToConvert(string op)
    {
        var x = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2);
        Func<Tensor> call = op switch
        {
            "Add" => () => x + x,
            "Multiply" => () => x * 2.0,
            "Neg" => () => -x,
            "Exp" => () => x.Exp(),
            "Log" => () => x.Log(),
            "Sqrt" => () => x.Sqrt(),
            "Pow" => () => x.Pow(2),
            "Sin" => () => x.Sin(),
            "Tanh" => () => x.Tanh(),
            "Sigmoid" => () => x.Sigmoid(),
            "Relu" => () => x.Relu(),
            "Softmax" => () => x.Softmax(),
            "Sum" => () => x.Sum(),
            "Mean" => () => x.Mean(),
            "Max" => () => x.Max(),
            "Var" => () => x.Var(),
            "MatMul" => () => x.MatMul(x),
            _ => () => x.Clamp(0, 1),
        };
        var error = Assert.Throws<ArgumentException>(() => call());
        AssertContainsAll(error.Message, op, "Int32", "To(DType.Float32)");
    }

    [Fact]
    public void Int32WithFloat_NamesTheInt32Operand()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1, 2 }) + F64(2));
        AssertContainsAll(error.Message, "Add", "Int32");
    }

    [Fact]
    public void GatherWithFloatIndex_SaysIndicesMustBeInt32()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(3, 4).Gather(1, F64(3, 1)));
        AssertContainsAll(error.Message, "Gather", "Int32", "Float64");
    }

    [Fact]
    public void RequiresGrad_OnInt32_IsRejectedWithReason()
    {
        var labels = Tensor.FromArray(new[] { 0, 1, 2 });
        var error = Assert.Throws<InvalidOperationException>(() => labels.RequiresGrad = true);
        AssertContainsAll(error.Message, "Int32", "floating-point");
        Assert.Throws<InvalidOperationException>(() => labels.RequiresGradient());
        Assert.False(labels.RequiresGrad);
    }

    // ---- indices ---------------------------------------------------------------------------------

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(1, -1, 1)]
    [InlineData(0, 0, 3)]
    [InlineData(1, 0, -1)]
    public void Slice_OutOfRange_NamesPositionsAndSize(int axis, int start, int length)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => F64(2, 3).Slice(axis, start, length));
        AssertContainsAll(error.Message, "Slice", $"axis {axis}", $"size {(axis == 0 ? 2 : 3)}", "[2, 3]");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(4)]
    public void Gather_IndexOutOfRange_NamesIndexAndSize(int position)
    {
        var index = Tensor.FromArray(new[] { 0, position, 1 }, 3, 1);
        var error = Assert.Throws<IndexOutOfRangeException>(() => F64(3, 4).Gather(1, index));
        AssertContainsAll(error.Message, "Gather", $"index {position}", "axis 1", "size 4");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void IndexSelect_IndexOutOfRange_NamesIndexAndSize(int position)
    {
        var error = Assert.Throws<IndexOutOfRangeException>(() => F64(4, 3).IndexSelect(0, Tensor.FromArray(new[] { 1, position })));
        AssertContainsAll(error.Message, "IndexSelect", $"index {position}", "axis 0", "size 4");
    }

    [Fact]
    public void IndexSelect_IndicesNot1D_NamesShape()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => F64(4, 3).IndexSelect(0, Tensor.Zeros([2, 2], DType.Int32)));
        AssertContainsAll(error.Message, "IndexSelect", "rank 1", "[2, 2]");
    }

    [Fact]
    public void Indexer_OutOfRange_NamesIndexDimensionAndShape()
    {
        var error = Assert.Throws<IndexOutOfRangeException>(() => F64(2, 3)[1, 3]);
        AssertContainsAll(error.Message, "index 3", "dimension 1", "size 3", "[2, 3]");
    }

    [Fact]
    public void Item_OnSeveralElements_NamesShape()
    {
        var error = Assert.Throws<InvalidOperationException>(() => F64(2, 3).Item());
        AssertContainsAll(error.Message, "Item", "[2, 3]", "6");
    }

    // ---- axes ------------------------------------------------------------------------------------

    public static TheoryData<string, int> BadAxes() => new()
    {
        { "Sum", 2 }, { "Sum", -3 }, { "Mean", 2 }, { "Max", 5 }, { "Min", -3 }, { "Var", 2 },
        { "Softmax", 2 }, { "LogSoftmax", -3 }, { "Transpose", 2 }, { "Permute", 2 }, { "Squeeze", 2 },
        { "Unsqueeze", 3 }, { "Slice", 2 }, { "Concat", 2 }, { "Stack", 4 }, { "Gather", 2 }, { "IndexSelect", -3 }, { "Size", 2 },
    };

    [Theory]
    [MemberData(nameof(BadAxes))]
    public void AxisOutOfRange_NamesOpAxisAndRank(string op, int axis)
    {
        var x = F64(2, 3);
        Action call = op switch
        {
            "Sum" => () => x.Sum(axis),
            "Mean" => () => x.Mean(axis),
            "Max" => () => x.Max(axis),
            "Min" => () => x.Min(axis),
            "Var" => () => x.Var(axis),
            "Softmax" => () => x.Softmax(axis),
            "LogSoftmax" => () => x.LogSoftmax(axis),
            "Transpose" => () => x.Transpose(0, axis),
            "Permute" => () => x.Permute(0, axis),
            "Squeeze" => () => x.Squeeze(axis),
            "Unsqueeze" => () => x.Unsqueeze(axis),
            "Slice" => () => x.Slice(axis, 0, 1),
            "Concat" => () => Tensor.Concat([x, x], axis),
            "Stack" => () => Tensor.Stack([x, x], axis),
            "Gather" => () => x.Gather(axis, Tensor.Zeros([2, 3], DType.Int32)),
            "IndexSelect" => () => x.IndexSelect(axis, Tensor.FromArray(new[] { 0 })),
            _ => () => x.Size(axis),
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(call);
        int rank = op is "Unsqueeze" or "Stack" ? 3 : 2; // these insert an axis: a position in a tensor one rank larger
        AssertContainsAll(error.Message, op, $"axis {axis}", $"rank {rank}", $"{-rank}..{rank - 1}");
    }

    [Fact]
    public void Permute_RepeatedAxis_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(2, 3).Permute(1, 1));
        AssertContainsAll(error.Message, "Permute", "axis 1", "twice");
    }

    [Fact]
    public void Permute_WrongNumberOfAxes_NamesRankAndShape()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(2, 3).Permute(0));
        AssertContainsAll(error.Message, "Permute", "rank 2", "[2, 3]", "[0]");
    }

    [Fact]
    public void Clamp_WithoutBounds_SaysWhatToGive()
    {
        var error = Assert.Throws<ArgumentException>(() => F64(2).Clamp());
        AssertContainsAll(error.Message, "Clamp", "min", "max");
    }

    // ---- autograd --------------------------------------------------------------------------------

    [Fact]
    public void Backward_OnNonScalarWithoutGradient_SaysToPassOne()
    {
        var x = Param(2, 3);
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        AssertContainsAll(error.Message, "Backward", "scalar", "[2, 3]", "gradient");
    }

    [Fact]
    public void Backward_OnNonScalarWithGradient_Works()
    {
        var x = Param(2, 3);
        (x * 2.0).Backward(Tensor.Full([2, 3], 0.5, DType.Float64));
        Assert.All(x.Grad!.ToArray<double>(), g => Assert.Equal(1.0, g));
    }

    [Fact]
    public void Backward_GradientOfWrongShape_NamesBothShapes()
    {
        var x = Param(2, 3);
        var error = Assert.Throws<ShapeMismatchException>(() => (x * 2.0).Backward(F64(3, 2)));
        AssertContainsAll(error.Message, "Backward", "[3, 2]", "[2, 3]");
    }

    [Fact]
    public void Backward_GradientOfWrongType_NamesBothTypes()
    {
        var x = Param(2);
        var error = Assert.Throws<ArgumentException>(() => (x * 2.0).Backward(Tensor.Ones(2)));
        AssertContainsAll(error.Message, "Backward", "Float32", "Float64");
    }

    [Fact]
    public void Backward_OnTensorNotRequiringGrad_SaysWhy()
    {
        var x = F64(2);
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Sum().Backward());
        AssertContainsAll(error.Message, "Backward", "does not require gradients");
    }

    [Fact]
    public void Backward_InsideNoGrad_SaysWhy()
    {
        var x = Param(2);
        Tensor y;
        using (Nabla.Autograd.NoGrad()) y = (x * 2.0).Sum();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        AssertContainsAll(error.Message, "does not require gradients", "NoGrad");
    }

    [Fact]
    public void Backward_SecondTimeWithoutRetainGraph_SaysToRetain()
    {
        var x = Param(3);
        var loss = (x * x).Sum();
        loss.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        AssertContainsAll(error.Message, "Backward", "already freed", "retainGraph: true");
    }

    [Fact]
    public void Backward_SecondTimeWithRetainGraph_AccumulatesGradients()
    {
        var x = Param(3);
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        var once = x.Grad!.ToArray<double>();
        loss.Backward();
        var twice = x.Grad!.ToArray<double>();
        var values = x.ToArray<double>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(2 * values[i], once[i], 12);
            Assert.Equal(4 * values[i], twice[i], 12);
        }
    }

    [Fact]
    public void Grad_SecondTimeWithoutRetainGraph_SaysToRetain()
    {
        var x = Param(3);
        var loss = (x * x).Sum();
        Nabla.Autograd.Grad(loss, x);
        var error = Assert.Throws<InvalidOperationException>(() => Nabla.Autograd.Grad(loss, x));
        AssertContainsAll(error.Message, "already freed", "retainGraph: true");
    }

    [Fact]
    public void Grad_InputNotRequiringGrad_NamesIt()
    {
        var x = Param(2);
        var c = F64(2);
        var error = Assert.Throws<ArgumentException>(() => Nabla.Autograd.Grad([(x * c).Sum()], [x, c]));
        AssertContainsAll(error.Message, "Grad", "inputs[1]", "[2]", "does not require gradients");
    }

    [Fact]
    public void Grad_UnusedInput_NamesItAndSuggestsAllowUnused()
    {
        var x = Param(2);
        var unused = Param(3);
        var error = Assert.Throws<ArgumentException>(() => Nabla.Autograd.Grad([(x * x).Sum()], [x, unused]));
        AssertContainsAll(error.Message, "Grad", "inputs[1]", "[3]", "not used", "allowUnused: true");
    }

    [Fact]
    public void Grad_UnusedInputWithAllowUnused_ReturnsNullForIt()
    {
        var x = Param(2);
        var unused = Param(3);
        var grads = Nabla.Autograd.Grad([(x * x).Sum()], [x, unused], allowUnused: true);
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Grad_OutputNotRequiringGrad_SaysWhy()
    {
        var x = Param(2);
        var error = Assert.Throws<InvalidOperationException>(() => Nabla.Autograd.Grad([F64(1).Sum()], [x]));
        AssertContainsAll(error.Message, "Grad", "output 0", "does not require gradients");
    }

    [Fact]
    public void Grad_WrongNumberOfGradOutputs_NamesBothCounts()
    {
        var x = Param(2);
        var error = Assert.Throws<ArgumentException>(() => Nabla.Autograd.Grad([x * 2.0], [x], [F64(2), F64(2)]));
        AssertContainsAll(error.Message, "Grad", "1 outputs", "2 gradient outputs");
    }

    [Fact]
    public void RequiresGrad_ClearedOnNonLeaf_SaysToDetach()
    {
        var y = Param(2) * 2.0;
        var error = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        AssertContainsAll(error.Message, "leaf", "Detach");
    }

    private static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
