namespace Nabla.Cli;

/// <summary>How <c>nabla tune</c> chooses the settings to try (<c>--search</c>).</summary>
internal enum SearchKind
{
    /// <summary>Settings drawn at random from the space (the library's RandomSearch).</summary>
    Random,

    /// <summary>Successive halving: many settings on a small budget (epochs, or a share of the rows), the best third go on with three times as much.</summary>
    Halving,

    /// <summary>Hyperband: brackets of successive halving from aggressive to cautious.</summary>
    Hyperband,

    /// <summary>The tree-structured Parzen estimator, as Optuna's default: random at first, then settings like the best so far.</summary>
    Tpe,

    /// <summary>Every combination: each choice, and five points of each range.</summary>
    Grid,
}
