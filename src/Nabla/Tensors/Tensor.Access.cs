namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>A copy of the elements in row-major order; <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not this tensor's element type.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (Storage is not T[] data)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}>: this tensor holds {DType}; call ToArray<{ElementTypeName(DType)}>() or convert with To(DType) first.");
        return (T[])data.Clone();
    }

    /// <summary>The elements as doubles, whatever the element type.</summary>
    public double[] ToDoubleArray()
    {
        var result = new double[Length];
        for (int i = 0; i < result.Length; i++) result[i] = GetFlat(i);
        return result;
    }

    /// <summary>The value of a tensor with exactly one element, as a double.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Item: only a tensor with one element has a single value; this one has shape {Shapes.Format(_shape)} ({Length} elements).");
        return GetFlat(0);
    }

    /// <summary>Reads one element by its indices (one per dimension; negative counts from the end).</summary>
    /// <exception cref="ArgumentException">The number of indices differs from <see cref="Rank"/>.</exception>
    /// <exception cref="IndexOutOfRangeException">An index is outside its dimension.</exception>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public double this[params int[] indices]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(indices);
            if (indices.Length != Rank)
                throw new ArgumentException($"Indexer: a tensor of shape {Shapes.Format(_shape)} needs {Rank} indices, got {indices.Length}.", nameof(indices));
            int flat = 0;
            for (int d = 0; d < indices.Length; d++)
            {
                int i = indices[d] < 0 ? indices[d] + _shape[d] : indices[d];
                if (i < 0 || i >= _shape[d])
                    throw new IndexOutOfRangeException($"Indexer: index {indices[d]} is out of range for dimension {d} of size {_shape[d]} (shape {Shapes.Format(_shape)}).");
                flat = flat * _shape[d] + i;
            }
            return GetFlat(flat);
        }
    }

    private static string ElementTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        _ => "int",
    };

    /// <summary>Prints like PyTorch: the values (elided in the middle when large), then shape and type.</summary>
    public override string ToString() => TensorFormatter.Format(this);
}
