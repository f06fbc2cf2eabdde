using Nabla.Losses;

namespace Nabla.Tests.Losses;

/// <summary>
/// The bad inputs a user makes, each with a message that names the loss and what was wrong: both
/// shapes on a mismatch, the index, its position and the class count for a bad label, the value for
/// a bad option.
/// </summary>
public class LossErrorTests
{
    private static Tensor F64(params int[] shape) => Tensor.Zeros(shape, DType.Float64);

    private static void AssertContainsAll(string message, params string[] parts)
    {
        foreach (var part in parts) Assert.True(message.Contains(part, StringComparison.Ordinal), $"Expected \"{part}\" in: {message}");
    }

    public static TheoryData<Loss> ElementwiseLosses() => [new MseLoss(), new L1Loss(), new HuberLoss(), new BceLoss(), new BceWithLogitsLoss()];

    [Theory]
    [MemberData(nameof(ElementwiseLosses))]
    public void ElementwiseLoss_ColumnAgainstVector_NamesLossAndBothShapes(Loss loss)
    {
        var error = Assert.Throws<ShapeMismatchException>(() => loss.Forward(Tensor.Zeros(8, 1), Tensor.Zeros(8)));
        AssertContainsAll(error.Message, loss.GetType().Name, "[8, 1]", "[8]");
    }

    [Theory]
    [MemberData(nameof(ElementwiseLosses))]
    public void ElementwiseLoss_Int32Target_SaysToConvert(Loss loss)
    {
        var error = Assert.Throws<ArgumentException>(() => loss.Forward(Tensor.Zeros(3), Tensor.FromArray(new[] { 0, 1, 1 })));
        AssertContainsAll(error.Message, loss.GetType().Name, "Int32", "To(DType.Float32)");
    }

    [Fact]
    public void MseLoss_MixedElementTypes_NamesBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(3), F64(3)));
        AssertContainsAll(error.Message, "MseLoss", "Float32", "Float64");
    }

    [Fact]
    public void MseLoss_Int32Input_NamesLoss()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.FromArray(new[] { 1, 2 }), Tensor.Zeros(2)));
        AssertContainsAll(error.Message, "MseLoss", "Int32");
    }

    [Fact]
    public void Loss_UndefinedReduction_NamesValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MseLoss((Reduction)7));
        AssertContainsAll(error.Message, "MseLoss", "Mean, Sum or None", "7");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void HuberLoss_NonPositiveDelta_NamesValue(double delta)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(delta));
        AssertContainsAll(error.Message, "HuberLoss", "delta", delta.ToString());
    }

    [Theory]
    [InlineData(1.25)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void BceLoss_InputOutsideZeroOne_NamesValuePositionAndTheLogitsLoss(double bad)
    {
        var input = Tensor.FromArray(new[] { 0.5, 0.2, bad, 0.9 }, 2, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BceLoss().Forward(input, F64(2, 2)));
        AssertContainsAll(error.Message, "BceLoss", "[0, 1]", bad.ToString(), "[1, 0]", "BceWithLogitsLoss");
    }

    [Fact]
    public void BceLoss_WeightThatDoesNotBroadcast_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new BceLoss(F64(5)).Forward(F64(2, 3) + 0.5, F64(2, 3)));
        AssertContainsAll(error.Message, "BceLoss", "weight", "[5]", "[2, 3]");
    }

    [Fact]
    public void BceWithLogitsLoss_PosWeightThatDoesNotBroadcast_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new BceWithLogitsLoss(posWeight: F64(4)).Forward(F64(2, 3), F64(2, 3)));
        AssertContainsAll(error.Message, "BceWithLogitsLoss", "posWeight", "[4]", "[2, 3]");
    }

    [Fact]
    public void Weight_Int32_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(Tensor.FromArray(new[] { 1, 2 })));
        AssertContainsAll(error.Message, "CrossEntropyLoss", "weight", "Int32");
    }

    public static TheoryData<Loss> ClassificationLosses() => [new CrossEntropyLoss(), new NllLoss(), new MultiMarginLoss()];

    [Theory]
    [MemberData(nameof(ClassificationLosses))]
    public void ClassLoss_InputWithoutClassAxis_NamesExpectedShape(Loss loss)
    {
        var error = Assert.Throws<ShapeMismatchException>(() => loss.Forward(F64(5), Tensor.FromArray(new[] { 1 })));
        AssertContainsAll(error.Message, loss.GetType().Name, "[N, C]", "[5]");
    }

    [Theory]
    [MemberData(nameof(ClassificationLosses))]
    public void ClassLoss_TargetOfWrongLength_NamesBothShapesAndTheExpectedOne(Loss loss)
    {
        var error = Assert.Throws<ShapeMismatchException>(() => loss.Forward(F64(4, 5), Tensor.FromArray(new[] { 0, 1, 2 })));
        AssertContainsAll(error.Message, loss.GetType().Name, "[3]", "[4, 5]", "expected [4]");
    }

    [Theory]
    [MemberData(nameof(ClassificationLosses))]
    public void ClassLoss_IndexOutOfRange_NamesIndexPositionAndClassCount(Loss loss)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(F64(4, 5), Tensor.FromArray(new[] { 0, 4, 7, 1 })));
        AssertContainsAll(error.Message, loss.GetType().Name, "class 7", "position [2]", "5 classes");
    }

    [Theory]
    [MemberData(nameof(ClassificationLosses))]
    public void ClassLoss_NegativeIndex_IsOutOfRange(Loss loss)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(F64(2, 3), Tensor.FromArray(new[] { -1, 0 })));
        AssertContainsAll(error.Message, "class -1", "position [0]", "3 classes");
    }

    [Theory]
    [MemberData(nameof(ClassificationLosses))]
    public void ClassLoss_WeightOfWrongLength_NamesBothShapes(Loss loss)
    {
        var weighted = loss switch
        {
            CrossEntropyLoss => (Loss)new CrossEntropyLoss(F64(3)),
            NllLoss => new NllLoss(F64(3)),
            _ => new MultiMarginLoss(weight: F64(3)),
        };
        var error = Assert.Throws<ShapeMismatchException>(() => weighted.Forward(F64(4, 5), Tensor.FromArray(new[] { 0, 1, 2, 3 })));
        AssertContainsAll(error.Message, loss.GetType().Name, "weight", "[3]", "[5]", "[4, 5]");
    }

    [Fact]
    public void CrossEntropy_SpatialIndexOutOfRange_NamesFullPosition()
    {
        var target = Tensor.FromArray(new[] { 0, 1, 2, 0, 1, 9 }, 2, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss().Forward(F64(2, 4, 3), target));
        AssertContainsAll(error.Message, "class 9", "position [1, 2]", "4 classes", "ignoreIndex -100");
    }

    [Fact]
    public void CrossEntropy_SpatialTargetShape_NamesExpectedShape()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new CrossEntropyLoss().Forward(F64(2, 4, 3), Tensor.FromArray(new int[8], 2, 4)));
        AssertContainsAll(error.Message, "[2, 4]", "[2, 4, 3]", "expected [2, 3]");
    }

    [Fact]
    public void CrossEntropy_ProbabilityTargetOfOtherShape_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new CrossEntropyLoss().Forward(F64(4, 5), F64(4, 3)));
        AssertContainsAll(error.Message, "CrossEntropyLoss", "[4, 5]", "[4, 3]");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void CrossEntropy_LabelSmoothingOutsideZeroOne_NamesValue(double smoothing)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: smoothing));
        AssertContainsAll(error.Message, "labelSmoothing", "[0, 1]", smoothing.ToString());
    }

    [Fact]
    public void NllLoss_FloatTarget_AsksForClassIndices()
    {
        var error = Assert.Throws<ArgumentException>(() => new NllLoss().Forward(F64(4, 5), F64(4)));
        AssertContainsAll(error.Message, "NllLoss", "Int32", "class indices", "Float64");
    }

    [Fact]
    public void NllLoss_EveryTargetIgnored_MeanIsNaN_AsPyTorch()
    {
        var loss = new NllLoss().Forward(F64(2, 3), Tensor.FromArray(new[] { -100, -100 }));
        Assert.True(double.IsNaN(loss.Item()));
    }

    [Fact]
    public void CrossEntropy_EveryTargetIgnored_MeanIsNaN_AsPyTorch()
    {
        var loss = new CrossEntropyLoss().Forward(F64(2, 3), Tensor.FromArray(new[] { -100, -100 }));
        Assert.True(double.IsNaN(loss.Item()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void MultiMarginLoss_PowerOtherThanOneOrTwo_NamesValue(int p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiMarginLoss(p));
        AssertContainsAll(error.Message, "MultiMarginLoss", "p must be 1", $"got {p}");
    }

    [Fact]
    public void MultiMarginLoss_NonFiniteMargin_NamesValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiMarginLoss(margin: double.NaN));
        AssertContainsAll(error.Message, "MultiMarginLoss", "margin", "NaN");
    }

    [Fact]
    public void MultiMarginLoss_SpatialInput_IsRejected()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new MultiMarginLoss().Forward(F64(2, 3, 4), Tensor.FromArray(new int[8], 2, 4)));
        AssertContainsAll(error.Message, "MultiMarginLoss", "[N, C]", "[2, 3, 4]");
    }
}
