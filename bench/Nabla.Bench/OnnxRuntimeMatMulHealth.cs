using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nabla.Onnx;
using Nabla.Onnx.Export;
using Nabla.Onnx.Protobuf;

namespace Nabla.Bench;

/// <summary>
/// ONNX Runtime's own speed on this machine, the serving anchor's counterpart of the other anchors' SGEMM 1024²: a graph of one
/// MatMul, a Float32 input [1024, 1024] times a constant [1024, 1024], run in a session with the settings of the comparison.
/// </summary>
/// <remarks>
/// The constant is an initializer, as a served model's weights are, so ONNX Runtime may pack it once when the session starts;
/// the figure is then its GEMM at its best, which bench/anchor_health.py judges against the CPU's measured peak.
/// </remarks>
internal static class OnnxRuntimeMatMulHealth
{
    /// <summary>The matrices' side.</summary>
    public const int Size = 1024;

    /// <summary>The MatMul's GFLOP/s (2·1024³ per run over the median run) in a session made by <paramref name="sessionOptions"/>.</summary>
    /// <param name="sessionOptions">Makes the session options (threads, optimisation) the comparison uses.</param>
    /// <param name="runs">Timed runs; the median counts.</param>
    public static double Gflops(Func<SessionOptions> sessionOptions, int runs)
    {
        var generator = new Generator(7);
        using var options = sessionOptions();
        using var session = new InferenceSession(Graph(Tensor.Randn([Size, Size], generator)), options);
        var values = Tensor.Randn([Size, Size], generator).ToArray<float>();
        using var input = OrtValue.CreateTensorValueFromMemory(values, [Size, Size]);
        using var runOptions = new RunOptions();
        string[] inputNames = ["a"], outputNames = ["product"];
        OrtValue[] inputs = [input];
        void Multiply()
        {
            using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
        }
        // Runs until warm: the first packs the constant and sizes the thread pool's work.
        for (int i = 0; i < 3; i++) Multiply();
        double seconds = Timing.Sorted(runs, Multiply)[runs / 2];
        return 2.0 * Size * Size * Size / seconds / 1e9;
    }

    /// <summary>The serialised model "product = a · b" with <paramref name="constant"/> as b.</summary>
    private static byte[] Graph(Tensor constant)
    {
        var graph = new OnnxGraphBuilder("matmul_1024");
        var a = graph.Input("a", TensorProto.Types.DataType.Float, Size, Size);
        var product = graph.Node("MatMul", [a, graph.Weight("b", constant)], "matmul");
        graph.Output(product, "product", TensorProto.Types.DataType.Float, Size, Size);
        var model = new ModelProto { IrVersion = OnnxExport.IrVersion, ProducerName = "Nabla.Bench", Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxDomains.Default, Version = OnnxExportOptions.MaxOpset });
        return model.ToByteArray();
    }
}
