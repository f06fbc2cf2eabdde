namespace Nabla.Cli.Tests;

/// <summary>A test that starts <c>nabla</c> under <c>mpirun</c>: skipped, with the reason shown, where Open MPI is not installed.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <c>mpirun</c> is not on PATH.</summary>
    public MpiFactAttribute()
    {
        if (MpiJob.SkipReason is { } reason) Skip = reason;
    }
}
