namespace Nabla.Tests.Architecture;

/// <summary>
/// The library's folders are layers: each uses only the layers below it, so no circle of
/// dependencies can come back. Dependencies are read from the compiled code
/// (<see cref="TypeDependencies"/>), so a type used without a <c>using</c> line still counts.
/// </summary>
public class LayerTests
{
    /// <summary>
    /// The layers from the bottom up, as the README draws them; a row's layers may use the rows
    /// below, never each other or a row above. Each layer is a folder of src/Nabla and the
    /// namespace of the same name (the tensor core's three folders share namespace <c>Nabla</c>).
    /// </summary>
    private static readonly string[][] Rows =
    [
        ["Kernels"],
        ["Core"],
        ["IO"],
        ["NN", "Losses", "Optim", "Calculus", "Symbolic", "Data"],
        ["Training", "Metrics", "Text"],
        ["Estimators"],
        ["Distributed"],
        ["Selection", "Explain"],
        ["Models"],
    ];

    private static readonly string[] CoreFolders = ["Tensors", "Autograd", "Ops"];

    private static readonly Dictionary<string, int> RowOf = Rows
        .SelectMany((layers, row) => layers.Select(layer => (layer, row)))
        .ToDictionary(entry => entry.layer, entry => entry.row);

    /// <summary>The layer of a namespace of the library: Nabla is the core, Nabla.X and Nabla.X.Y are X.</summary>
    private static string LayerOf(string ns) => ns == "Nabla" ? "Core" : ns.Split('.')[1];

    [Fact]
    public void EveryTypeUsesOnlyTheLayersBelowItsOwn()
    {
        var assembly = typeof(Tensor).Assembly;
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (owner, used) in TypeDependencies.Of(assembly))
        {
            // Compiler-generated helpers (<PrivateImplementationDetails>) belong to no layer.
            if (owner.Namespace is null) continue;
            string layer = LayerOf(owner.Namespace);
            foreach (var dependency in used)
            {
                if (dependency.Assembly != assembly || dependency.Namespace is null) continue;
                string other = LayerOf(dependency.Namespace);
                if (other == layer || RowOf[other] < RowOf[layer]) continue;
                violations.Add($"{layer} uses {other}: {owner.FullName} -> {dependency.FullName}");
            }
        }
        Assert.True(violations.Count == 0, "Layer violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void EveryNamespaceIsALayer()
    {
        var unknown = typeof(Tensor).Assembly.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Distinct()
            .Where(ns => !RowOf.ContainsKey(LayerOf(ns)))
            .ToList();
        Assert.True(unknown.Count == 0, $"Namespaces in no layer (add them to {nameof(Rows)}): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EachSourceFileSitsInTheFolderOfItsLayer()
    {
        string source = Path.Combine(RepositoryFolder.Root, "src", "Nabla");
        var misplaced = new List<string>();
        foreach (string path in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, path);
            string folder = relative.Split(Path.DirectorySeparatorChar)[0];
            if (folder is "bin" or "obj") continue;
            var declared = File.ReadLines(path).FirstOrDefault(line => line.StartsWith("namespace ", StringComparison.Ordinal));
            if (declared is null)
            {
                misplaced.Add($"{relative}: no file-scoped namespace");
                continue;
            }
            string ns = declared["namespace ".Length..].TrimEnd(';', ' ');
            string expected = CoreFolders.Contains(folder) ? "Core" : folder;
            if (!ns.StartsWith("Nabla", StringComparison.Ordinal) || LayerOf(ns) != expected)
                misplaced.Add($"{relative}: namespace {ns} is not the layer of folder {folder}");
        }
        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }
}
