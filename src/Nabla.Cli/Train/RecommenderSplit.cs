namespace Nabla.Cli;

/// <summary>How <c>nabla train --model mf</c> holds out its test interactions (<c>--split</c>).</summary>
internal enum RecommenderSplit
{
    /// <summary>A random share of the rows (<c>--test-split</c>).</summary>
    Random,

    /// <summary>One interaction of every user who has more than one (leave one out), so every tested user was seen in training.</summary>
    User,

    /// <summary>The latest share of the rows by <c>--timestamp</c> (<c>--test-split</c>): training strictly before testing.</summary>
    Time,
}
