using System.Text.Json;

namespace Nabla.Tests.Ops;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Fixtures/torch_conv.json, which tools/fixtures/torch_conv.py wrote: F.conv2d, F.max_pool2d and
/// F.avg_pool2d cases in float64 with their outputs and the gradients of sum(output ⊙ gradOutput).
/// </summary>
internal sealed record ConvFixture(List<ConvFixture.Case> Cases)
{
    private static readonly Lazy<ConvFixture> s_loaded = new(Load);

    public static ConvFixture Loaded => s_loaded.Value;

    /// <summary>The names of the cases of one op, as theory rows.</summary>
    public static TheoryData<string> Names(string op) => [.. Loaded.Cases.Where(c => c.Op == op).Select(c => c.Name)];

    public static Case Named(string name) => Loaded.Cases.Single(c => c.Name == name);

    internal sealed record Input(string Name, int[] Shape, double[] Values);

    internal sealed record Case(string Name, string Op, JsonElement Params, Input[] Inputs,
        TensorData Output, TensorData GradOutput, TensorData[] Grads)
    {
        public (int Height, int Width) Pair(string key)
        {
            var values = Params.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            return (values[0], values[1]);
        }

        public int Int(string key) => Params.GetProperty(key).GetInt32();

        public bool Bool(string key) => Params.GetProperty(key).GetBoolean();

        /// <summary>The inputs as Float64 leaves that require gradients.</summary>
        public Tensor[] Leaves() => [.. Inputs.Select(i => Tensor.FromArray(i.Values, i.Shape).RequiresGradient())];

        /// <summary>
        /// Runs <paramref name="apply"/> on the inputs and checks the output, the returned gradients
        /// (Autograd.Grad) and the accumulated ones (Backward) against PyTorch.
        /// </summary>
        public void AssertMatches(Func<Tensor[], Tensor> apply)
        {
            var inputs = Leaves();
            var y = apply(inputs);
            Output.AssertClose($"{Name}: output", y);
            var gradOutput = Tensor.FromArray(GradOutput.Values, GradOutput.Shape);
            var returned = Autograd.Grad([y], inputs, [gradOutput], retainGraph: true);
            for (int i = 0; i < inputs.Length; i++)
                Grads[i].AssertClose($"{Name}: Autograd.Grad of {Inputs[i].Name}", returned[i]!);
            y.Backward(gradOutput);
            for (int i = 0; i < inputs.Length; i++)
                Grads[i].AssertClose($"{Name}: .Grad of {Inputs[i].Name}", inputs[i].Grad!);
        }
    }

    private static ConvFixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch_conv.json");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ConvFixture>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}
