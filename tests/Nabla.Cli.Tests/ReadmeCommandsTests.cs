using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Every command in the README's shell blocks runs as written, in order, in an empty folder as a user's
/// first session would (the main job first, then the data sets exported, trained on, predicted,
/// evaluated): a command the README shows that fails, or that this test does not know how to run, fails it.
/// </summary>
/// <remarks>
/// <c>nabla</c> is the built command, as the README says it stands for; <c>dotnet run --project P -c Release</c> is
/// P's built program, since building it again here would rewrite assemblies other tests are running. Only the lines in
/// <see cref="RunByContinuousIntegration"/> are left out, for the reason given beside each.
/// </remarks>
public sealed class ReadmeCommandsTests : TemporaryFolder
{
    /// <summary>README lines this test does not run, and why; each must still be in the README, so the list cannot go stale.</summary>
    private static readonly Dictionary<string, string> RunByContinuousIntegration = new(StringComparer.Ordinal)
    {
        ["dotnet pack Nabla.slnx -c Release -o nupkg"] = ".ci/run packs the solution and checks the packages it makes",
        ["dotnet tool install --global --add-source nupkg Nabla.Cli"] = ".ci/run installs the packed tool (into a folder of its own rather than the machine's global tools) and runs it",
        ["dotnet test Nabla.slnx -c Release"] = "the command that runs this test",
    };

    private const string RunCli = "dotnet run --project src/Nabla.Cli -c Release --";
    private const string RunProject = "dotnet run --project ";
    private const string MpiRun = "mpirun ";

    /// <summary>The README's one server: it runs until Ctrl-C, so it is started, asked for its runs, then interrupted.</summary>
    private const string Dashboard = "nabla dashboard";

    [Fact]
    public void EveryShellCommand_RunsAsWritten_InOrder()
    {
        var commands = ShellCommands(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md")));
        Assert.All(RunByContinuousIntegration.Keys, skipped => Assert.Contains(skipped, commands));
        // The files the README asks the user to put in place: the four Fashion-MNIST files in fashion-mnist/.
        FashionMnistSubset.Write(PathOf("fashion-mnist"), train: 300, test: 100);
        // The repository's own files that the commands name by their path from the repository root.
        foreach (string file in new[] { "examples/data/debian-packages.csv", "examples/data/ratings.csv", "examples/data/iris-pytorch.onnx" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathOf(file))!);
            File.Copy(Path.Combine(RepositoryLayout.Root, file), PathOf(file));
        }

        int ran = 0;
        foreach (string command in commands.Where(command => !RunByContinuousIntegration.ContainsKey(command)))
        {
            ProgramRun run;
            if (command.StartsWith(MpiRun, StringComparison.Ordinal))
            {
                // Without Open MPI (CI installs it) the distributed lines cannot run; the rest still must.
                if (MpiJob.SkipReason is not null) continue;
                run = MpiJob.RunIn(Folder, MpiRanks(command), Words(command[(command.IndexOf(" nabla ", StringComparison.Ordinal) + " nabla ".Length)..]));
            }
            else if (command.StartsWith(Dashboard, StringComparison.Ordinal))
            {
                var (assembly, args) = Program(command);
                run = Serve(assembly, args);
            }
            else
            {
                var (assembly, args) = Program(command);
                run = ProgramRun.StartIn(Folder, assembly, args);
            }
            Assert.True(run.ExitCode == 0, $"README command `{command}` failed:\n{run}");
            Assert.False(string.IsNullOrWhiteSpace(run.StandardOutput), $"README command `{command}` printed nothing:\n{run}");
            ran++;
        }
        Assert.True(ran >= 10, $"only {ran} README commands were found to run");
        foreach (string written in new[] { "model.safetensors", "diabetes.csv", "iris.csv", "digits.csv", "diabetes.safetensors", "iris.safetensors", "fashion.safetensors", "lstm.safetensors", "text.safetensors", "sections.csv", "ratings.safetensors", "clicks.safetensors", "fedavg.safetensors", "tuned.safetensors", "ridge.safetensors", "trials.png", "digits.safetensors" })
            Assert.True(File.Exists(PathOf(written)), $"the README's commands should have written {written}");
    }

    [Fact]
    public void ShellCommands_AreTheLinesOfShellBlocks_WithoutComments()
    {
        const string Readme = "text\n```sh\nnabla a --x 'b c'   # note\n\nnabla d\n```\n```csharp\nnot a command\n```\n```sh\nnabla \"e # f\"\n```\n";

        Assert.Equal(["nabla a --x 'b c'", "nabla d", "nabla \"e # f\""], ShellCommands(Readme));
        Assert.Equal(["a", "--x", "b c"], Words("nabla a --x 'b c'")[1..]);
        Assert.Throws<InvalidOperationException>(() => Words("nabla train > log.txt"));
    }

    /// <summary>The number of ranks of a README line <c>mpirun -np N nabla ...</c>, the only form of mpirun line this test runs.</summary>
    private static int MpiRanks(string command)
    {
        string[] words = Words(command);
        Assert.True(words is ["mpirun", "-np", _, "nabla", ..] && int.TryParse(words[2], out _),
            $"README command `{command}`: this test runs `mpirun -np N nabla ARGS` only (it adds the loopback-only and run-as-root settings itself)");
        return int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs a server command as a user does: started, its page's list of runs fetched (it must hold the runs the README's
    /// training wrote) once the address is printed, then Ctrl-C, after which it must exit 0.
    /// </summary>
    private ProgramRun Serve(string assembly, string[] args)
    {
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var printed = new TaskCompletionSource<Uri>();
        using var process = ProgramRun.StartInBackgroundIn(Folder, assembly, line =>
        {
            output.Enqueue(line);
            if (Regex.Match(line, @"http://\S+/") is { Success: true } address) printed.TrySetResult(new Uri(address.Value));
        }, errors.Enqueue, args);
        try
        {
            Assert.True(printed.Task.Wait(TimeSpan.FromMinutes(1)), $"nabla {string.Join(' ', args)} printed no address: {string.Join('\n', errors)}");
            using var http = new HttpClient();
            string runs = http.GetStringAsync(new Uri(printed.Task.Result, "/api/runs")).GetAwaiter().GetResult();
            Assert.Contains("\"epochs\":", runs);
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])) interrupt.WaitForExit();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"nabla {string.Join(' ', args)} did not stop on Ctrl-C");
            process.WaitForExit();
            return new ProgramRun(process.ExitCode, string.Join('\n', output), string.Join('\n', errors));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The program a README command runs, and its arguments.</summary>
    private static (string Assembly, string[] Args) Program(string command)
    {
        if (command.StartsWith(RunCli + " ", StringComparison.Ordinal))
            return (RepositoryLayout.CliAssembly, Words(command[RunCli.Length..]));
        if (command.StartsWith("nabla ", StringComparison.Ordinal))
            return (RepositoryLayout.CliAssembly, Words(command)[1..]);
        if (command.StartsWith(RunProject, StringComparison.Ordinal))
        {
            string[] words = Words(command[RunProject.Length..]);
            Assert.True(words is [_, "-c", "Release", ..], $"README command `{command}`: this test runs `dotnet run --project P -c Release [-- ARGS]` only");
            string project = words[0].TrimEnd('/');
            string[] args = words.Length > 3 && words[3] == "--" ? words[4..] : words[3..];
            return (RepositoryLayout.BuildOutput(project, Path.GetFileName(project) + ".dll"), args);
        }
        throw new InvalidOperationException($"README command `{command}`: this test does not know how to run it; teach it, or list it in RunByContinuousIntegration with the reason.");
    }

    /// <summary>Each non-empty line of the ```sh blocks, without its trailing # comment.</summary>
    private static List<string> ShellCommands(string markdown)
    {
        var commands = new List<string>();
        bool inShell = false;
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && line.Trim() == "```sh";
                continue;
            }
            if (inShell && WithoutComment(line) is { Length: > 0 } command) commands.Add(command);
        }
        return commands;
    }

    private static string WithoutComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '\'' or '"') quote = c;
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i].Trim();
        }
        return line.Trim();
    }

    /// <summary>A command's words as a POSIX shell splits them, for the plain commands a README shows; anything that needs a shell is refused.</summary>
    private static string[] Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in command)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
            }
            else if (c is '\'' or '"') (quote, inWord) = (c, true);
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                (inWord, word) = (false, word.Clear());
            }
            else if ("|&;<>$`\\*?".Contains(c))
                throw new InvalidOperationException($"README command `{command}` needs a shell ('{c}'); this test runs commands without one.");
            else (inWord, word) = (true, word.Append(c));
        }
        if (quote != '\0') throw new InvalidOperationException($"README command `{command}` has an unclosed quote.");
        if (inWord) words.Add(word.ToString());
        return [.. words];
    }
}
