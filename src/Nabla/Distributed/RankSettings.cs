using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nabla.Training;

namespace Nabla.Distributed;

/// <summary>
/// What must be the same on every rank of a data-parallel fit, as named lines ("training data: 1000
/// samples, batch 64, ..."), and the check that compares them across the ranks at the start.
/// </summary>
internal static class RankSettings
{
    /// <summary>This rank's settings, one named line each.</summary>
    public static List<(string Name, string Value)> Describe(Trainer trainer, DataLoader train, DataLoader? validation) =>
    [
        ("model parameters", Fingerprint(trainer.Model.NamedParameters())),
        ("model buffers", Fingerprint(trainer.Model.NamedBuffers())),
        ("loss", $"{trainer.Loss.GetType().Name} ({trainer.Loss.Reduction})"),
        ("optimizer", FormattableString.Invariant($"{trainer.Optimizer.GetType().Name} over {trainer.Optimizer.Parameters.Count} parameters, learning rate {trainer.Optimizer.LearningRate}")),
        ("training data", Loader(train)),
        ("validation data", validation is null ? "none" : Loader(validation)),
        ("epochs", FormattableString.Invariant($"{trainer.Epochs} (from epoch {trainer.Epoch + 1}, step {trainer.Step})")),
        ("gradient clipping", FormattableString.Invariant($"value {trainer.ClipGradValue?.ToString(CultureInfo.InvariantCulture) ?? "none"}, norm {trainer.ClipGradNorm?.ToString(CultureInfo.InvariantCulture) ?? "none"}")),
    ];

    /// <summary>
    /// Gathers every rank's <paramref name="mine"/> and throws, on every rank alike, when a rank's
    /// differ from rank 0's: the message names the first such rank, the setting and both values.
    /// </summary>
    /// <exception cref="ArgumentException">A rank's settings differ from rank 0's.</exception>
    public static void CheckSame(Communicator communicator, List<(string Name, string Value)> mine)
    {
        string text = string.Join('\n', mine.Select(s => $"{s.Name}: {s.Value}"));
        var all = communicator.AllGather(Encoding.UTF8.GetBytes(text)).Select(b => Encoding.UTF8.GetString(b).Split('\n')).ToArray();
        for (int rank = 1; rank < all.Length; rank++)
        {
            var (root, theirs) = (all[0], all[rank]);
            for (int line = 0; line < Math.Max(root.Length, theirs.Length); line++)
            {
                string a = line < root.Length ? root[line] : "(nothing)", b = line < theirs.Length ? theirs[line] : "(nothing)";
                if (a != b)
                    throw new ArgumentException($"DistributedDataParallel: rank {rank} was set up differently from rank 0: rank 0 has {a} but rank {rank} has {b}; build the model, optimizer and loaders alike on every rank.");
            }
        }
    }

    private static string Loader(DataLoader loader) => FormattableString.Invariant(
        $"{loader.Count} samples of shape {Shapes.Format(loader.Inputs.ShapeArray)}, batch {loader.BatchSize}, shuffle {loader.Shuffle}, drop last {loader.DropLast}, generator {Hash(loader.Generator.GetState().SelectMany(BitConverter.GetBytes).ToArray())}");

    /// <summary>The number of named tensors and a hash of their names, shapes and element types.</summary>
    private static string Fingerprint(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var list = tensors.Select(t => $"{t.Name}:{Shapes.Format(t.Tensor.ShapeArray)}:{t.Tensor.DType}").ToList();
        return $"{list.Count} tensors, shapes hash {Hash(Encoding.UTF8.GetBytes(string.Join(';', list)))}";
    }

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data).AsSpan(0, 8));
}
