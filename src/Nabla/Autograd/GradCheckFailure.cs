namespace Nabla;

/// <summary>
/// One problem found by <see cref="GradCheck"/> or <see cref="GradGradCheck"/>: which check, which
/// input and output, and the worst element with the analytic value and the value it should have had.
/// </summary>
public sealed class GradCheckFailure
{
    internal GradCheckFailure(GradCheckFailureKind kind, int inputIndex, string inputName, int outputIndex, string? outputName,
        int flatIndex, int[] index, int outputFlatIndex, int[] outputElement, double analytic, double expected, int mismatchCount, string message)
    {
        Kind = kind;
        InputIndex = inputIndex;
        InputName = inputName;
        OutputIndex = outputIndex;
        OutputName = outputName;
        FlatIndex = flatIndex;
        Index = Array.AsReadOnly(index);
        OutputFlatIndex = outputFlatIndex;
        OutputElement = Array.AsReadOnly(outputElement);
        Analytic = analytic;
        Expected = expected;
        MismatchCount = mismatchCount;
        Message = message;
    }

    /// <summary>Which check failed.</summary>
    public GradCheckFailureKind Kind { get; }

    /// <summary>The position of the input in the list given to the check.</summary>
    public int InputIndex { get; }

    /// <summary>How the message names the input ("input 0"; "gradient output 0" in a <see cref="GradGradCheck"/>).</summary>
    public string InputName { get; }

    /// <summary>The position of the output among the function's outputs, or −1 when the failure concerns no single output.</summary>
    public int OutputIndex { get; }

    /// <summary>How the message names the output, or null when the failure concerns no single output.</summary>
    public string? OutputName { get; }

    /// <summary>The row-major (flat) position of the worst element in the input, or −1 when the failure concerns no element.</summary>
    public int FlatIndex { get; }

    /// <summary>The worst element's indices in the input, one per dimension (empty for a scalar input or no element).</summary>
    public IReadOnlyList<int> Index { get; }

    /// <summary>The flat position of the output element whose derivative is worst, or −1 when not applicable.</summary>
    public int OutputFlatIndex { get; }

    /// <summary>The indices of that output element (empty for a scalar output or when not applicable).</summary>
    public IReadOnlyList<int> OutputElement { get; }

    /// <summary>
    /// The analytic derivative at the worst element: d output[<see cref="OutputElement"/>] / d input[<see cref="Index"/>]
    /// for a Jacobian mismatch, the second run's value when backward is not repeatable, the gradient for a
    /// zero upstream gradient; NaN when the failure concerns no element.
    /// </summary>
    public double Analytic { get; }

    /// <summary>
    /// What <see cref="Analytic"/> should have been: the central-difference (numeric) derivative for a
    /// Jacobian mismatch, the first run's value when backward is not repeatable, 0 for a zero upstream
    /// gradient; NaN when the failure concerns no element.
    /// </summary>
    public double Expected { get; }

    /// <summary>The absolute difference |<see cref="Analytic"/> − <see cref="Expected"/>| (NaN when not applicable).</summary>
    public double AbsoluteError => Math.Abs(Analytic - Expected);

    /// <summary>How many elements failed this check for this input and output (the worst is the one described).</summary>
    public int MismatchCount { get; }

    /// <summary>A one-line description naming the check, the input, the output and the worst element.</summary>
    public string Message { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
