namespace Nabla.Estimators;

/// <summary>
/// Samples as estimators compute with them: Float64, row-major, <see cref="Rows"/> × <see cref="Columns"/>.
/// <see cref="Values"/> may be the caller's own Float64 tensor storage: read it, never write it.
/// </summary>
internal sealed record DesignMatrix(double[] Values, int Rows, int Columns);
