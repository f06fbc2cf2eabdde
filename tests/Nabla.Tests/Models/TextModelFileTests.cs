using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Tests.Text;
using Nabla.Text;

namespace Nabla.Tests.Models;

/// <summary>Text networks in model files: saved and loaded with their tokenizer settings and vocabulary, predicting the same from raw text.</summary>
public sealed class TextModelFileTests : TemporaryFolder
{
    public static TheoryData<string> Kinds => new() { "lstm", "bow", "tfidf" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SavedAndLoaded_PredictsTheSameFromRawText(string kind)
    {
        int[] rows = [.. Enumerable.Range(0, 600)];
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], rows, new TextOptions { MaxWordNGram = kind == "lstm" ? 1 : 2, MaxLength = 24 });
        int vocabulary = prep.Vocabulary.Count;
        LayerSpec[] layers = kind switch
        {
            "lstm" => [new SequenceClassifierSpec(RecurrentLayerKind.Lstm, vocabulary, 8, 6, 2, true, SequencePoolingMode.Last, 0.25, 15)],
            "bow" => [new EmbeddingBagSpec(vocabulary, 8), new DropoutSpec(0.1), new LinearSpec(8, 15)],
            _ => [new TfidfLinearSpec(vocabulary, 15, SublinearTf: true)],
        };
        var architecture = new ModelArchitecture([24], layers);
        var network = architecture.Build(generator: new Generator(5));
        var ids = prep.TransformFeatures(DebianExcerpt.Table);
        if (network[0] is TfidfLinear tfidf)
        {
            tfidf.FitIdf(ids);
            Init.Uniform(tfidf.Linear.Weight, -1, 1, new Generator(6));
        }
        Assert.True(architecture.ReadsTokenIds);
        string path = PathOf($"{kind}.safetensors");
        new ModelFile(architecture, network, ModelTask.Classification, prep.ClassLabels, prep.ToJson()).Save(path);

        var loaded = ModelPipeline.Load(path);
        var fromFile = loaded.Predict(Path.Combine(AppContext.BaseDirectory, "Fixtures", "debian-packages", "excerpt.csv"));
        var fromTexts = loaded.PredictTexts([.. DebianExcerpt.Descriptions]);
        network.Eval();
        using var noGrad = global::Nabla.Autograd.NoGrad();
        var direct = network.Forward(ids).ArgMax(axis: 1).ToArray<int>();

        Assert.Equal(architecture.ToJson(), loaded.Model.Architecture!.ToJson());
        Assert.Equal(prep.Vocabulary.ToList(), ((TextPreprocessor)loaded.Preprocessor).Vocabulary.ToList());
        Assert.Equal(direct.Select(i => prep.ClassLabels[i]), fromFile.Labels);
        Assert.Equal(fromFile.Labels, fromTexts.Labels);
    }

    [Fact]
    public void PredictingMoreTextsThanTheMemoryLimitHolds_IsRefusedBeforeTheIdsAreMade()
    {
        int[] rows = [.. Enumerable.Range(0, 600)];
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], rows, new TextOptions { MaxLength = 20_000 });
        var architecture = new ModelArchitecture([20_000], [new TfidfLinearSpec(prep.Vocabulary.Count, 15, SublinearTf: true)]);
        string path = PathOf("long.safetensors");
        new ModelFile(architecture, architecture.Build(), ModelTask.Classification, prep.ClassLabels, prep.ToJson()).Save(path);
        var loaded = ModelPipeline.Load(path);
        loaded.Model.MemoryLimit = new MemoryLimit(8L << 20, "the test's limit");
        string excerpt = Path.Combine(AppContext.BaseDirectory, "Fixtures", "debian-packages", "excerpt.csv");

        var error = Assert.Throws<InsufficientMemoryException>(() => loaded.Predict(excerpt));

        Assert.Contains("its 600 texts as rows of 20,000 token ids (the model's max length) take 45.8 MB, more than the limit of 8 MB (the test's limit)", error.Message);
        // 100 texts fit: 7.6 MB.
        string few = PathOf("few.csv");
        File.WriteAllLines(few, File.ReadAllLines(excerpt).Take(101));
        Assert.Equal(100, loaded.Predict(few).Labels.Count);
    }

    [Theory]
    [InlineData("{\"input_shape\":[8],\"layers\":[{\"kind\":\"linear\",\"in_features\":8,\"out_features\":8},{\"kind\":\"embedding_bag\",\"num_embeddings\":9,\"embedding_dim\":8}]}", "layer 1 (embedding_bag): it reads token ids, so it must be the first layer")]
    [InlineData("{\"input_shape\":[2,4],\"layers\":[{\"kind\":\"tfidf_linear\",\"vocabulary_size\":9,\"out_features\":2,\"sublinear_tf\":true}]}", "expects a row of token ids, per-sample shape [steps], got [2, 4]")]
    [InlineData("{\"input_shape\":[8],\"layers\":[{\"kind\":\"sequence_classifier\",\"cell\":\"lstm2\",\"vocabulary_size\":9,\"embedding_dim\":4,\"hidden_size\":4,\"num_layers\":1,\"bidirectional\":false,\"pooling\":\"max\",\"dropout\":0,\"classes\":2}]}", "\"cell\" is \"lstm2\", expected one of rnn, lstm, gru")]
    [InlineData("{\"input_shape\":[8],\"layers\":[{\"kind\":\"sequence_classifier\",\"cell\":\"gru\",\"vocabulary_size\":9,\"embedding_dim\":4,\"hidden_size\":4,\"num_layers\":1,\"bidirectional\":1,\"pooling\":\"max\",\"dropout\":0,\"classes\":2}]}", "\"bidirectional\" must be true or false, got 1")]
    [InlineData("{\"input_shape\":[8],\"layers\":[{\"kind\":\"embedding_bag\",\"num_embeddings\":2,\"embedding_dim\":8}]}", "num_embeddings must be above 2")]
    public void BrokenTextArchitectures_AreRefused_NamingTheLayer(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelArchitecture.FromJson(json));

        Assert.Contains(problem, error.Message);
    }
}
