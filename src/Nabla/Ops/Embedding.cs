namespace Nabla;

// Looking up rows of an embedding table by integer ids.
public sealed partial class Tensor
{
    /// <summary>
    /// The rows of this (num, dim) table picked by Int32 <paramref name="indices"/> of any shape; the
    /// result has shape (..., dim), as <c>torch.nn.functional.embedding</c>. The indices must already be
    /// in range (the caller checks them, to name the bad position).
    /// </summary>
    /// <remarks>
    /// Derivative: each gradient row added into the table row it came from (a scatter-add, so the cost
    /// is that of the rows used, plus clearing the table-sized gradient); the <paramref name="paddingIndex"/>
    /// row, when given, gets no gradient.
    /// </remarks>
    internal Tensor Embedding(Tensor indices, int? paddingIndex)
    {
        var flat = indices.Reshape(-1);
        Tensor rows;
        using (Autograd.NoGrad()) rows = IndexSelect(0, flat);
        var y = new Tensor(rows.Storage, [.. indices._shape, _shape[1]], DType);
        return Graph.Record(nameof(Embedding), [this], y, static (g, n, lookup) =>
        {
            var table = n.Inputs[0];
            var rows = g.Reshape(-1, table._shape[1]);
            if (lookup.PaddingIndex is { } padding) rows *= PaddingMask(lookup.Indices, padding, table.DType);
            return [rows.IndexAdd(table._shape, 0, lookup.Indices)];
        }, (Indices: flat, PaddingIndex: paddingIndex));
    }

    /// <summary>A (count, 1) column of ones, with zeros where the index is the padding index.</summary>
    private static Tensor PaddingMask(Tensor indices, int paddingIndex, DType dtype)
    {
        var mask = Empty([indices.Length, 1], dtype);
        var ids = indices.Int32Data;
        for (int i = 0; i < ids.Length; i++) mask.SetFlat(i, ids[i] == paddingIndex ? 0 : 1);
        return mask;
    }
}
