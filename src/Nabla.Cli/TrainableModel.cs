using Nabla.Losses;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>A network ready to train, the loss it minimises, and how to describe it.</summary>
/// <param name="Network">The layers.</param>
/// <param name="Loss">The loss between the network's output and the targets.</param>
/// <param name="Architecture">A one-line description such as "64 → 128 → 64 → 10 (relu)".</param>
/// <param name="TakesImages">Whether the network wants [rows, channels, height, width] inputs rather than [rows, features].</param>
internal sealed record TrainableModel(Module Network, Loss Loss, string Architecture, bool TakesImages);
