namespace Nabla.Onnx;

/// <summary>How <see cref="OnnxExport"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The oldest default-domain opset the export supports: 13 has ReduceSum with axes as an input and Softmax over one axis.</summary>
    public const int MinOpset = 13;

    /// <summary>The newest default-domain opset the export knows: ONNX 1.12's.</summary>
    public const int MaxOpset = 17;

    /// <summary>The default-domain opset the graph declares, <see cref="MinOpset"/> to <see cref="MaxOpset"/>; 17 by default, which ONNX Runtime 1.13 and later run.</summary>
    public int Opset { get; init; } = MaxOpset;

    /// <summary>
    /// Whether the batch dimension of every input and output is symbolic ("N"), so one graph scores any number of rows; when false
    /// (the default, as <c>torch.onnx.export</c>) it is fixed to <see cref="BatchSize"/>, which lets servers plan memory ahead.
    /// </summary>
    public bool DynamicBatch { get; init; }

    /// <summary>The fixed batch size when <see cref="DynamicBatch"/> is false; 1 by default.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Whether a batch normalisation after a Linear layer is folded into its weights (the default: one Gemm instead of two operators); when false it is a BatchNormalization node.</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Fails when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The opset or the batch size is out of range.</exception>
    internal void Validate()
    {
        if (Opset is < MinOpset or > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(Opset), Opset, $"OnnxExport: the opset must be {MinOpset} to {MaxOpset}, got {Opset}.");
        if (!DynamicBatch && BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"OnnxExport: the batch size must be at least 1, got {BatchSize}.");
    }
}
