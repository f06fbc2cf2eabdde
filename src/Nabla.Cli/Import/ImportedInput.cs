using System.Text;
using System.Text.Json;

namespace Nabla.Cli;

/// <summary>
/// What an imported network reads, as a model file's data preparation (<see cref="Data.Preprocessor"/> JSON), so that
/// <c>nabla predict</c> and <c>evaluate</c> can run it on data files: the columns of a CSV table passed to the network as
/// they are (a network trained elsewhere did its own scaling, so none is added), or IDX images with their pixels
/// scaled by a factor.
/// </summary>
internal static class ImportedInput
{
    /// <summary>A table whose <paramref name="columns"/> are the network's inputs, in order, unscaled; <paramref name="target"/> is the column <c>evaluate</c> scores against.</summary>
    public static string Table(IReadOnlyList<string> columns, string target, IReadOnlyList<string>? classes) => Write("tabular", classes, json =>
    {
        json.WriteString("task", classes is null ? "regression" : "classification");
        json.WriteString("target", target);
        json.WriteString("missing", "error");
        json.WriteStartArray("features");
        foreach (string column in columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column);
            json.WriteString("type", "numeric");
            json.WriteNumber("mean", 0);
            json.WriteNumber("scale", 1);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (classes is null)
        {
            json.WriteNumber("target_mean", 0);
            json.WriteNumber("target_scale", 1);
        }
    });

    /// <summary>IDX images of one channel, <paramref name="height"/> × <paramref name="width"/> pixels, each multiplied by <paramref name="scale"/>.</summary>
    public static string Images(int height, int width, double scale, IReadOnlyList<string> classes) => Write("image", classes, json =>
    {
        json.WriteNumber("channels", 1);
        json.WriteNumber("height", height);
        json.WriteNumber("width", width);
        json.WriteNumber("scale", scale);
    });

    private static string Write(string kind, IReadOnlyList<string>? classes, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind);
            fields(json);
            if (classes is not null)
            {
                json.WriteStartArray("classes");
                foreach (string label in classes) json.WriteStringValue(label);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
