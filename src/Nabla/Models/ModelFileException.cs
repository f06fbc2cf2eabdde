namespace Nabla.Models;

/// <summary>
/// A file is not a valid Nabla model file: its safetensors layout, its metadata or its tensors are
/// wrong. The message names the file and the problem found; nothing was loaded.
/// </summary>
/// <remarks>
/// An <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so a caller that
/// already reports file errors reports this one too; catch it first to tell a bad file from a
/// missing or unreadable one.
/// </remarks>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public ModelFileException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that found the problem.</summary>
    public ModelFileException(string message, Exception innerException) : base(message, innerException) { }
}
