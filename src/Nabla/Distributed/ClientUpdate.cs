namespace Nabla.Distributed;

/// <summary>
/// A client's local work in one round of <see cref="FederatedAveraging"/>: it trains
/// <see cref="ClientUpdateContext.Model"/>, which starts from the global weights, on
/// <see cref="ClientUpdateContext.Client"/>'s samples; the weights it leaves are the client's update.
/// </summary>
/// <param name="context">The model, the client, the round's global weights, a seeded generator and the local settings.</param>
/// <remarks>
/// The default is <see cref="FederatedAveraging.TrainLocally"/> (local epochs of mini-batch SGD).
/// Variants change only this step: FedProx adds μ/2·‖w − w_global‖² to the loss, reading the global
/// weights from <see cref="ClientUpdateContext.GlobalState"/>. Draw any randomness from
/// <see cref="ClientUpdateContext.Generator"/>, so the result does not depend on which rank runs the client.
/// </remarks>
public delegate void ClientUpdate(ClientUpdateContext context);
