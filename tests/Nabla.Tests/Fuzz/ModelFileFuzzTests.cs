using System.Buffers.Binary;
using System.Text;
using Nabla.Models;
using Nabla.Tests.Models;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// Damaged and crafted model files: byte-level damage anywhere (mostly in the header), and the header's
/// JSON with values swapped for hostile ones (the length prefix kept right, so the reader gets past it).
/// Each file is loaded and, when accepted, asked for a prediction: refused with a message naming the
/// file, or answered, within the time and allocation bounds.
/// </summary>
public sealed class ModelFileFuzzTests : TemporaryFolder
{
    private const int CasesPerSeed = 250;

    public static TheoryData<string> Seeds() => ["reference", "network", "logistic_regression", "mlp_classifier", "matrix_factorization"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DamagedBytes_AreRefusedOrLoaded_WithinBounds(string seed)
    {
        byte[] valid = Seed(seed);
        int header = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var mutator = new Mutator(SeedOf(seed, 1));
        int accepted = 0;
        for (int i = 0; i < CasesPerSeed; i++) accepted += Load($"{seed} bytes #{i}", mutator.Bytes(valid, header)) ? 1 : 0;

        // Damage that leaves a consistent file (a flipped weight, a changed training note) loads; most does not.
        Assert.InRange(accepted, 1, CasesPerSeed / 2);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void HostileHeaderValues_AreRefusedOrLoaded_WithinBounds(string seed)
    {
        byte[] valid = Seed(seed);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        string header = Encoding.UTF8.GetString(valid, 8, length);
        byte[] data = valid[(8 + length)..];
        var mutator = new Mutator(SeedOf(seed, 2));
        int accepted = 0;
        for (int i = 0; i < CasesPerSeed; i++)
        {
            byte[] text = Encoding.UTF8.GetBytes(mutator.Text(header));
            var file = new byte[8 + text.Length + data.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)text.Length);
            text.CopyTo(file, 8);
            data.CopyTo(file, 8 + text.Length);
            accepted += Load($"{seed} header #{i}", file) ? 1 : 0;
        }

        // Some values land where any value is fine (a training note), most where they are refused.
        Assert.InRange(accepted, 0, CasesPerSeed - 1);
    }

    /// <summary>A seed from the case's name that is the same in every run (string hash codes differ between processes).</summary>
    private static int SeedOf(string seed, int test) => seed.Aggregate(test, (hash, c) => unchecked(hash * 31 + c));

    private bool Load(string name, byte[] contents)
    {
        string path = PathOf("case.safetensors");
        File.WriteAllBytes(path, contents);
        // Loading holds the tensors once more than the file; a prediction for one row adds the activations.
        long bound = 32L * contents.Length + (16 << 20);
        return HostileInput.Check(name, path, bound, () =>
        {
            var model = ModelFile.Load(path);
            // Matrix factorization predicts from (user, item) ids, which zeros are not; every other model from features.
            if (model.Kind != "matrix_factorization") model.Predict(Tensor.Zeros([1, .. model.InputShape]));
        }, typeof(ModelFileException), typeof(InvalidDataException));
    }

    private byte[] Seed(string seed)
    {
        if (seed == "reference") return File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "model_file_reference.safetensors"));
        string path = PathOf($"{seed}.safetensors");
        var model = seed == "network" ? TrainedModels.Iris() : FittedEstimators.Make(seed, Folder).File();
        model.Save(path);
        return File.ReadAllBytes(path);
    }
}
