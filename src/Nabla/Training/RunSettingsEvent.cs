namespace Nabla.Training;

/// <summary>The first event of a run log: what the run is.</summary>
/// <param name="Name">The run's name (its folder's name).</param>
/// <param name="Start">When the run began, with the writer's offset from UTC.</param>
/// <param name="Settings">The settings the caller gave to describe the run (learning rate, model, data...).</param>
/// <param name="NablaVersion">The version of the Nabla library that trained it.</param>
public sealed record RunSettingsEvent(string Name, DateTimeOffset Start, IReadOnlyDictionary<string, string> Settings, string NablaVersion);
