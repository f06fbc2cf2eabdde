namespace Nabla.Training;

/// <summary>One finished epoch in a run log.</summary>
/// <param name="Result">What the epoch measured, as <see cref="Trainer.History"/> holds it.</param>
/// <param name="SamplesPerSecond">The training samples of the epoch divided by its duration (validation included).</param>
/// <param name="Gradients">Each parameter's mean gradient norm and update ratio over the epoch, when the trainer had
/// <see cref="GradientDiagnostics"/>; empty otherwise.</param>
public sealed record RunEpochEvent(EpochResult Result, double SamplesPerSecond, IReadOnlyList<ParameterGradient> Gradients);
