namespace Nabla.Selection;

/// <summary>A trial a search plans to run: the settings and the budget to give them.</summary>
internal readonly record struct TrialRequest(TrialParameters Parameters, int Budget);
