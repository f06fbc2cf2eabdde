namespace Nabla.NN;

/// <summary>
/// A module that draws random numbers while it runs (dropout masks) from a generator it holds, so
/// that a training checkpoint can save where that generator stands and a resumed run draws the
/// same masks as an uninterrupted one.
/// </summary>
internal interface IRandomModule
{
    /// <summary>The generator the module draws from while training.</summary>
    Generator Generator { get; }
}
