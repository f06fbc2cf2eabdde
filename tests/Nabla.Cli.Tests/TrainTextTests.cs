using System.Text;
using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Text models as a user runs them: <c>nabla train --text</c> on real Debian package descriptions (the
/// repository's 600-row excerpt), then <c>info</c>, <c>predict</c> and <c>evaluate</c> on raw text, each a
/// separate process; and every bad text input refused with a one-line message naming what and where.
/// </summary>
public sealed class TrainTextTests : TemporaryFolder
{
    private static readonly string Excerpt = Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Tests", "Fixtures", "debian-packages", "excerpt.csv");

    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private static string[] TextArgs(string data, string model, string @out, params string[] more) =>
        ["train", "--data", data, "--target", "section", "--text", "description", "--drop", "package", "--model", model, "--out", @out, .. more];

    [Theory]
    [InlineData("logistic", "TF-IDF(")]
    [InlineData("svm", "dual coordinate descent")]
    [InlineData("bow", "EmbeddingBag(")]
    [InlineData("gru", "bidirectional GRU(128)")]
    public void Train_ThenInfoPredictEvaluate_OnRawText_Agree(string model, string described)
    {
        string file = PathOf($"{model}.safetensors"), predictions = PathOf("predictions.csv");
        var train = Nabla(TextArgs(Excerpt, model, file, "--epochs", "8", "--json"));
        Assert.True(train.ExitCode == 0, train.ToString());
        using var trained = JsonDocument.Parse(train.StandardOutput);
        double testAccuracy = trained.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble();
        // 15 sections: chance is 1/15; a few hundred descriptions already teach far more.
        Assert.InRange(testAccuracy, 0.3, 1);
        var text = trained.RootElement.GetProperty("settings").GetProperty("text");
        Assert.Equal("description", text.GetProperty("columns")[0].GetString());
        Assert.InRange(text.GetProperty("vocabulary").GetInt32(), 300, 20_000);
        Assert.Equal(model is "gru", text.GetProperty("hiddenSize").ValueKind == JsonValueKind.Number);
        // The embedding models stop early on the validation accuracy; logistic runs its epochs, svm its solver.
        Assert.Equal(model is "bow" or "gru" ? JsonValueKind.Number : JsonValueKind.Null, trained.RootElement.GetProperty("settings").GetProperty("earlyStopping").ValueKind);

        var info = Nabla("info", file);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("CSV text column description as words", info.StandardOutput);
        Assert.Contains("target 'section'", info.StandardOutput);
        Assert.Contains(described, info.StandardOutput);

        // Packages the model saw only as the test rows' neighbours: the file as a user has it, with the package and section columns.
        var predict = Nabla("predict", "--model", file, "--data", Excerpt, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        string[] truth = Sections(Excerpt);
        string[] predicted = [.. File.ReadAllLines(predictions).Skip(1).Select(line => line.Split(',')[0])];
        Assert.Equal(truth.Length, predicted.Length);
        double handAccuracy = truth.Zip(predicted).Count(pair => pair.First == pair.Second) / (double)truth.Length;

        var evaluate = Nabla("evaluate", "--model", file, "--data", Excerpt, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var evaluated = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.Equal(handAccuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.True(handAccuracy > testAccuracy, $"on rows mostly seen in training the accuracy {handAccuracy} should pass the test rows' {testAccuracy}");
    }

    [Fact]
    public void Predict_TypedSentences_WithOnlyTheTextColumn_GetTheirObviousSections()
    {
        string file = PathOf("logistic.safetensors"), typed = WriteText("typed.csv",
            "description\nMultiplayer strategy game with a campaign\nTrueType font family for Latin scripts\nSMTP mail server and mail transfer agent\n");
        var train = Nabla(TextArgs(Excerpt, "logistic", file, "--epochs", "10", "--quiet"));
        Assert.True(train.ExitCode == 0, train.ToString());

        var predict = Nabla("predict", "--model", file, "--data", typed);

        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(["games", "fonts", "mail"], predict.OutputLines.Skip(1).Select(line => line.Split(',')[0]));
    }

    [Fact]
    public void KilledAndResumedTextRun_EndsBitIdenticalToAnUninterruptedRun_AndPlots()
    {
        string[] Settings(string checkpoints, string model) =>
            TextArgs(Excerpt, "gru", model, "--epochs", "60", "--early-stopping", "1000", "--embedding-dim", "8", "--hidden", "8", "--quiet", "--checkpoint-dir", checkpoints);
        string checkpoints = PathOf("checkpoints"), resumed = PathOf("resumed.safetensors");
        using (var process = ProgramRun.StartInBackground(RepositoryLayout.CliAssembly, Settings(checkpoints, resumed)))
        {
            int reached = TrainCheckpointTests.WaitForEpoch(Path.Combine(checkpoints, global::Nabla.Training.CheckpointCallback.FileName), process, atLeast: 2);
            process.Kill();
            process.WaitForExit();
            Assert.InRange(reached, 2, 59);
        }
        Assert.False(File.Exists(resumed));

        var resume = Nabla([.. Settings(checkpoints, resumed), "--resume", "--plot", PathOf("curves.png")]);
        var straight = Nabla(Settings(PathOf("straight"), PathOf("straight.safetensors")));

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.True(straight.ExitCode == 0, straight.ToString());
        var a = SafetensorsHeader.Read(resumed).Data;
        var b = SafetensorsHeader.Read(PathOf("straight.safetensors")).Data;
        Assert.Equal(b.Keys.Order(StringComparer.Ordinal), a.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in b) Assert.True(bytes.AsSpan().SequenceEqual(a[name]), $"tensor {name} differs after resuming");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(PathOf("curves.png"))[..4]);
    }

    [Fact]
    public void SeveralTextColumns_AreJoined_AndPredictNeedsEachOfThem()
    {
        string file = PathOf("two.safetensors");
        var train = Nabla("train", "--data", Excerpt, "--target", "section", "--text", "description", "--text", "package", "--model", "svm", "--out", file);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("texts of description, package", train.StandardOutput);

        var info = Nabla("info", file);
        Assert.Contains("CSV text columns description, package", info.StandardOutput);
        var evaluate = Nabla("evaluate", "--model", file, "--data", Excerpt);
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        string withoutPackage = WriteText("descriptions.csv", "description,section\nMultiplayer card game,games\n");
        var predict = Nabla("predict", "--model", file, "--data", withoutPackage);
        Assert.Equal(1, predict.ExitCode);
        Assert.Contains("line 1: the text column 'package' is missing; the model reads 'description', 'package'", predict.StandardError);
    }

    [Fact]
    public void UnnamedFreeTextColumn_IsRefused_SuggestingText()
    {
        var run = Nabla("train", "--data", Excerpt, "--target", "section", "--drop", "package", "--out", PathOf("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the column 'description' holds free text", run.StandardError);
        Assert.Contains("--text description", run.StandardError);
        Assert.Single(run.ErrorLines);
        Assert.False(File.Exists(PathOf("m.safetensors")));
    }

    [Fact]
    public void EmptyTextCell_IsRefused_NamingLineAndColumn()
    {
        string data = WriteWithRow(7, "emptydesc,,games");

        var run = Nabla(TextArgs(data, "logistic", PathOf("m.safetensors")));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 8, column 'description': the text is empty", run.StandardError);
        Assert.Single(run.ErrorLines);
    }

    [Fact]
    public void TextThatIsNotUtf8_IsRefused_NamingLineAndColumn()
    {
        var lines = File.ReadAllLines(Excerpt);
        var bytes = new List<byte>();
        for (int i = 0; i < lines.Length; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(i == 12 ? "latin1pkg,Caf" : lines[i]));
            if (i == 12) bytes.AddRange([0xE9, (byte)' ', (byte)'t', (byte)'o', (byte)'o', (byte)'l', (byte)',', (byte)'u', (byte)'t', (byte)'i', (byte)'l', (byte)'s']);
            bytes.Add((byte)'\n');
        }
        string data = WriteBytes("latin1.csv", [.. bytes]);

        var run = Nabla(TextArgs(data, "bow", PathOf("m.safetensors")));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 13, column 'description': the text is not valid UTF-8", run.StandardError);
    }

    [Fact]
    public void TextColumnOfNumbers_IsRefused()
    {
        string data = WriteText("numbers.csv", "id,size,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"p{i},{i * 1.5},{(i % 2 == 0 ? "a" : "b")}\n")));

        var run = Nabla("train", "--data", data, "--target", "label", "--text", "size", "--drop", "id", "--model", "lstm", "--out", PathOf("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 2, column 'size': the column holds numbers (0), not text", run.StandardError);
    }

    [Theory]
    [InlineData("--model lstm", "--model lstm classifies text: name the column of text with --text COLUMN")]
    [InlineData("--text description --model mlp", "--text trains a text classifier, which --model mlp is not")]
    [InlineData("--text description --model lstm --max-length 0", "--max-length must be a whole number from 1 to 100000, got 0.")]
    [InlineData("--text description --model lstm --vocab-size 2", "--vocab-size must be at least 3")]
    [InlineData("--text description --model lstm --hidden 64,32", "--hidden for --model lstm is the width of the recurrent state, one number")]
    [InlineData("--text description --model logistic --embedding-dim 8", "--embedding-dim does not apply to --model logistic with --text")]
    [InlineData("--text description --model bow --layers 2", "--layers does not apply to --model bow with --text")]
    [InlineData("--model mlp --min-frequency 2", "--min-frequency shapes a text model; it needs --text COLUMN")]
    [InlineData("--text nosuch --model bow", "--text 'nosuch':")]
    [InlineData("--text description --model bow --task regression", "--text trains a classifier, but --task regression asks for numbers")]
    [InlineData("--text description --model bow --max-length 100000 --memory-limit 64MB", "--max-length 100000: the 600 texts as rows of that many token ids take 458 MB, more than the limit of 64 MB (--memory-limit)")]
    [InlineData("--text description --model svm --lr 0.1", "--lr does not apply to --model svm: it is fitted by its own solver; leave it out, or use --model logistic, which trains by gradient steps.")]
    [InlineData("--text description --model logistic --alpha 2", "--alpha does not apply to --model logistic with --text")]
    public void BadTextOptions_AreRefused_Naming(string options, string message)
    {
        string[] args = ["train", "--data", Excerpt, "--target", "section", "--drop", "package", "--out", PathOf("m.safetensors"), .. options.Split(' ')];

        var run = Nabla(args);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.StandardError);
        Assert.False(File.Exists(PathOf("m.safetensors")));
    }

    [Fact]
    public void ColumnNeitherTextNorDropped_IsRefused_SuggestingDrop()
    {
        var run = Nabla("train", "--data", Excerpt, "--target", "section", "--text", "description", "--model", "bow", "--out", PathOf("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("a text model reads only its --text column (description), but the file also has 'package'; leave it out with --drop package.", run.StandardError);
    }

    [Fact]
    public void PredictOnAFileWithoutTheTextColumn_NamesIt()
    {
        string file = PathOf("bow.safetensors");
        Assert.Equal(0, Nabla(TextArgs(Excerpt, "bow", file, "--epochs", "1", "--quiet")).ExitCode);
        string other = WriteText("other.csv", "package,summary\nx,some words\n");

        var run = Nabla("predict", "--model", file, "--data", other);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 1: the text column 'description' is missing", run.StandardError);
    }

    private string WriteWithRow(int dataRow, string row)
    {
        var lines = File.ReadAllLines(Excerpt).ToList();
        lines[dataRow] = row;
        return WriteText("edited.csv", string.Join('\n', lines) + "\n");
    }

    private string WriteText(string name, string contents) => WriteBytes(name, Encoding.UTF8.GetBytes(contents));

    private static string[] Sections(string path) => global::Nabla.Data.Csv.Read(path)["section"].Texts();
}
