namespace Nabla.Cli;

/// <summary>Whether <c>nabla train</c> runs the learning-rate finder, and what it does with the rate found.</summary>
internal enum LearningRateSearchMode
{
    /// <summary>No search: the rate is <c>--lr</c>'s number or the optimizer's default.</summary>
    None,

    /// <summary><c>--find-lr</c>: search and report the rate, and train nothing.</summary>
    FindOnly,

    /// <summary><c>--lr auto</c>: search, then train with the rate found.</summary>
    Auto,
}
