namespace Nabla.Onnx;

/// <summary>The operator domains an exported graph uses, and the opset of each besides the default domain's.</summary>
internal static class OnnxDomains
{
    /// <summary>The default domain: "" (ai.onnx).</summary>
    public const string Default = "";

    /// <summary>The traditional machine-learning operators (LabelEncoder, OneHotEncoder).</summary>
    public const string MachineLearning = "ai.onnx.ml";

    /// <summary>The ai.onnx.ml opset the export uses: 2 has LabelEncoder with string keys and Int64 values, and ONNX Runtime runs it.</summary>
    public const int MachineLearningOpset = 2;
}
