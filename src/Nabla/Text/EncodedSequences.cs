namespace Nabla.Text;

/// <summary>A batch of documents as ids for an embedding and recurrent layers.</summary>
/// <param name="Ids">An Int32 tensor (documents, max length): each row the document's ids, then <see cref="Vocabulary.PaddingId"/>.</param>
/// <param name="Lengths">Each document's number of valid steps, 1 to max length (what the recurrent layers' <c>Forward(input, lengths)</c> takes).</param>
public sealed record EncodedSequences(Tensor Ids, int[] Lengths);
