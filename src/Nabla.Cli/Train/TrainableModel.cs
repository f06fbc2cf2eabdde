using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>A network ready to train, the architecture it was built from (what the model file stores), the loss it minimises, and how to describe it.</summary>
/// <param name="Architecture">The layers, as a model file records them.</param>
/// <param name="Network">The layers built from <paramref name="Architecture"/>, with their initial weights.</param>
/// <param name="Loss">The loss between the network's output and the targets.</param>
/// <param name="Description">A one-line description such as "64 → 128 → 64 → 10 (relu)".</param>
internal sealed record TrainableModel(ModelArchitecture Architecture, Sequential Network, Loss Loss, string Description);
