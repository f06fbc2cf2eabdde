namespace Nabla;

public sealed partial class Tensor
{
    internal static Array Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        DType.Int32 => new int[length],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown DType."),
    };

    /// <summary>A new tensor of zeros with the given shape (not copied: internal callers pass a fresh array).</summary>
    internal static Tensor Empty(int[] shape, DType dtype) => new(Allocate(dtype, Shapes.Numel(shape)), shape, dtype);

    /// <summary>
    /// A new tensor whose values are whatever the memory held, for a kernel that writes every
    /// element: a large array then skips the runtime's zeroing, a pass over memory as long as the
    /// kernel's own output (a training step of a small CNN allocates megabytes of these).
    /// </summary>
    internal static Tensor Uninitialized(int[] shape, DType dtype)
    {
        int length = Shapes.Numel(shape);
        Array data = dtype switch
        {
            DType.Float32 => GC.AllocateUninitializedArray<float>(length),
            DType.Float64 => GC.AllocateUninitializedArray<double>(length),
            DType.Int32 => GC.AllocateUninitializedArray<int>(length),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown DType."),
        };
        return new(data, shape, dtype);
    }

    private static int[] ShapeFor(int length, int[] shape, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        // An empty shape forwarded by a params wrapper means "no shape" unless it can mean a scalar.
        if (shape.Length == 0 && length != 1) return [length];
        var checkedShape = Shapes.Validate(shape, op);
        int expected = Shapes.Numel(checkedShape);
        if (expected != length)
            throw new ShapeMismatchException($"{op}: {length} values do not fill shape {Shapes.Format(shape)} ({expected} elements).");
        return checkedShape;
    }

    /// <summary>A Float32 1-D tensor holding a copy of <paramref name="data"/>, as <c>torch.tensor(list)</c>.</summary>
    public static Tensor FromArray(float[] data) => FromArray(data, data?.Length ?? 0);

    /// <summary>A Float32 tensor holding a copy of <paramref name="data"/> with the given shape; an empty shape makes a scalar (rank 0) of one value, and is ignored for more values.</summary>
    /// <exception cref="ShapeMismatchException">The shape's element count differs from the data's length.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new((float[])data.Clone(), ShapeFor(data.Length, shape, nameof(FromArray)), DType.Float32);
    }

    /// <summary>A Float64 1-D tensor holding a copy of <paramref name="data"/>, as <c>torch.tensor(list)</c>.</summary>
    public static Tensor FromArray(double[] data) => FromArray(data, data?.Length ?? 0);

    /// <summary>A Float64 tensor holding a copy of <paramref name="data"/> with the given shape; an empty shape makes a scalar (rank 0) of one value, and is ignored for more values.</summary>
    /// <exception cref="ShapeMismatchException">The shape's element count differs from the data's length.</exception>
    public static Tensor FromArray(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new((double[])data.Clone(), ShapeFor(data.Length, shape, nameof(FromArray)), DType.Float64);
    }

    /// <summary>An Int32 1-D tensor holding a copy of <paramref name="data"/>, as <c>torch.tensor(list)</c>.</summary>
    public static Tensor FromArray(int[] data) => FromArray(data, data?.Length ?? 0);

    /// <summary>An Int32 tensor (labels, indices) holding a copy of <paramref name="data"/> with the given shape; an empty shape makes a scalar (rank 0) of one value, and is ignored for more values.</summary>
    /// <exception cref="ShapeMismatchException">The shape's element count differs from the data's length.</exception>
    public static Tensor FromArray(int[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new((int[])data.Clone(), ShapeFor(data.Length, shape, nameof(FromArray)), DType.Int32);
    }

    /// <summary>A Float32 matrix holding a copy of a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var copy = new float[data.Length];
        Buffer.BlockCopy(data, 0, copy, 0, data.Length * sizeof(float));
        return new(copy, [data.GetLength(0), data.GetLength(1)], DType.Float32);
    }

    /// <summary>A Float64 matrix holding a copy of a rectangular array.</summary>
    public static Tensor FromArray(double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var copy = new double[data.Length];
        Buffer.BlockCopy(data, 0, copy, 0, data.Length * sizeof(double));
        return new(copy, [data.GetLength(0), data.GetLength(1)], DType.Float64);
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>A Float32 tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, DType.Float32);

    /// <summary>A tensor of zeros of the given type.</summary>
    public static Tensor Zeros(int[] shape, DType dtype) => Empty(Shapes.Validate(shape, nameof(Zeros)), dtype);

    /// <summary>A Float32 tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Ones(shape, DType.Float32);

    /// <summary>A tensor of ones of the given type.</summary>
    public static Tensor Ones(int[] shape, DType dtype) => Full(shape, 1, dtype);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        var result = Empty(Shapes.Validate(shape, nameof(Full)), dtype);
        result.Fill(value);
        return result;
    }

    /// <summary>Zeros with the shape and type of <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => Empty(other._shape, other.DType);

    /// <summary>Ones with the shape and type of <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => Full(other._shape, 1, other.DType);

    /// <summary>Values start, start + step, … up to but excluding <paramref name="end"/>, as <c>torch.arange</c>.</summary>
    /// <exception cref="ArgumentException">The step is zero, or has the wrong sign for the range.</exception>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0 || !double.IsFinite(step)) throw new ArgumentException($"Arange: step must be finite and non-zero, got {step}.", nameof(step));
        if (!double.IsFinite(start) || !double.IsFinite(end)) throw new ArgumentException($"Arange: start and end must be finite, got {start} and {end}.");
        if ((end - start) * step < 0) throw new ArgumentException($"Arange: step {step} moves away from end {end} starting at {start}.", nameof(step));
        int count = (int)Math.Ceiling((end - start) / step);
        var result = Empty([count], dtype);
        for (int i = 0; i < count; i++) result.SetFlat(i, start + i * step);
        return result;
    }

    /// <summary>Integers 0, 1, …, <paramref name="end"/> − 1.</summary>
    public static Tensor Arange(int end, DType dtype = DType.Float32) => Arange(0, end, 1, dtype);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive, as <c>torch.linspace</c>.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var result = Empty([steps], dtype);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Like PyTorch, fill the second half from the end so both endpoints are exact.
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
            result.SetFlat(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        return result;
    }

    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(int n, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = Empty([n, n], dtype);
        for (int i = 0; i < n; i++) result.SetFlat(i * n + i, 1);
        return result;
    }

    /// <summary>Values drawn uniformly from [0, 1) by <paramref name="generator"/>.</summary>
    public static Tensor Rand(int[] shape, Generator generator, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var result = Empty(Shapes.Validate(shape, nameof(Rand)), RequireFloat(dtype, nameof(Rand)));
        if (dtype == DType.Float32) generator.FillUniform(result.Float32Data);
        else generator.FillUniform(result.Float64Data);
        return result;
    }

    /// <summary>Values drawn from the standard normal distribution by <paramref name="generator"/>.</summary>
    public static Tensor Randn(int[] shape, Generator generator, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var result = Empty(Shapes.Validate(shape, nameof(Randn)), RequireFloat(dtype, nameof(Randn)));
        if (dtype == DType.Float32) generator.FillNormal(result.Float32Data);
        else generator.FillNormal(result.Float64Data);
        return result;
    }

    private static DType RequireFloat(DType dtype, string op) => dtype == DType.Int32
        ? throw new ArgumentException($"{op}: random values need a floating-point DType, got Int32.", nameof(dtype))
        : dtype;

    /// <summary>Writes one element from a double, converting to this tensor's type.</summary>
    internal void SetFlat(int index, double value)
    {
        switch (DType)
        {
            case DType.Float32: Float32Data[index] = (float)value; break;
            case DType.Float64: Float64Data[index] = value; break;
            default: Int32Data[index] = checked((int)value); break;
        }
    }

    /// <summary>Reads one element as a double.</summary>
    internal double GetFlat(int index) => DType switch
    {
        DType.Float32 => Float32Data[index],
        DType.Float64 => Float64Data[index],
        _ => Int32Data[index],
    };

    internal void Fill(double value)
    {
        switch (DType)
        {
            case DType.Float32: Array.Fill(Float32Data, (float)value); break;
            case DType.Float64: Array.Fill(Float64Data, value); break;
            default: Array.Fill(Int32Data, checked((int)value)); break;
        }
    }
}
