namespace Nabla.NN;

/// <summary>Returns its input unchanged, as <c>torch.nn.Identity</c>: a placeholder where a model's structure expects a layer.</summary>
public sealed class Identity : Module
{
    /// <summary>The input itself.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }
}
