using System.Text.Json;

namespace Nabla.Tests;

/// <summary>Reads a reference fixture from the test output's Fixtures folder (copied there by the project file).</summary>
internal static class FixtureFile
{
    /// <summary>Deserialises Fixtures/<paramref name="fileName"/>, matching JSON names to C# names without regard to case.</summary>
    /// <exception cref="InvalidDataException">The file holds JSON null.</exception>
    public static T Load<T>(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, options) ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}
