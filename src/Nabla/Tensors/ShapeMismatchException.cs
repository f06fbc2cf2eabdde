namespace Nabla;

/// <summary>
/// Thrown when the shapes given to an operation do not fit together; the message names the
/// operation and the shapes involved.
/// </summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a message that names the operation and both shapes.</summary>
    public ShapeMismatchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ShapeMismatchException(string message, Exception innerException) : base(message, innerException) { }
}
