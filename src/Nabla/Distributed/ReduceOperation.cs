namespace Nabla.Distributed;

/// <summary>How <see cref="Communicator.AllReduce(Span{double}, ReduceOperation)"/> combines the ranks' values, element by element.</summary>
public enum ReduceOperation
{
    /// <summary>The sum over the ranks (MPI_SUM).</summary>
    Sum,

    /// <summary>The largest value over the ranks (MPI_MAX).</summary>
    Max,

    /// <summary>The smallest value over the ranks (MPI_MIN).</summary>
    Min,
}
