namespace Nabla.Tests.Distributed;

/// <summary>A test, run for each row of data, that runs a job under <c>mpirun</c>: skipped, with the reason shown, where Open MPI is not installed.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <c>mpirun</c> is not on PATH.</summary>
    public MpiTheoryAttribute()
    {
        if (MpiRun.SkipReason is { } reason) Skip = reason;
    }
}
