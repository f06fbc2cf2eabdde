using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Tests;

/// <summary>Tensors between Nabla and ONNX: each type both ways, and dimensions that would overflow a count refused by name.</summary>
public sealed class OnnxTensorsTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int32)]
    public void TensorsSurviveTheWayThereAndBack(DType dtype)
    {
        var tensor = Tensor.FromArray([1.5, -2, 3.25, 0, 7, -1e-3], 2, 3).To(dtype);

        var back = OnnxTensors.FromProto(OnnxTensors.ToProto("t", tensor), "initializer \"t\"");

        Assert.Equal(dtype, back.DType);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(tensor.ToDoubleArray(), back.ToDoubleArray());
    }

    [Fact]
    public void DimensionsWhoseProductOverflowsAreRefusedNotWrapped()
    {
        var proto = new TensorProto { Name = "huge", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[16]) };
        proto.Dims.AddRange([int.MaxValue, int.MaxValue, int.MaxValue, 4]);

        var error = Assert.Throws<InvalidDataException>(() => OnnxTensors.FromProto(proto, "initializer \"huge\""));

        Assert.Contains("initializer \"huge\"", error.Message);
        Assert.Contains("more values than one tensor holds", error.Message);
        Assert.Throws<InvalidDataException>(() => OnnxTensors.Int64Values(proto, "initializer \"huge\""));
    }

    [Fact]
    public void Int64ThatDoesNotFitInt32IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxTensors.FromProto(OnnxTensors.Int64s("ids", [1, 1L << 40]), "initializer \"ids\""));

        Assert.Contains("does not fit in Int32", error.Message);
    }
}
