namespace Nabla.Tests;

/// <summary>A fresh folder for a test's files, deleted with everything in it when the test ends.</summary>
public abstract class TemporaryFolder : IDisposable
{
    /// <summary>The folder's full path.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("nabla-test-").FullName;

    /// <summary>The path of <paramref name="name"/> inside the folder.</summary>
    protected string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes <paramref name="contents"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    protected string WriteBytes(string name, byte[] contents)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, contents);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
