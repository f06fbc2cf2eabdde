using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// The declarative architecture of a model file: the factories, the network it builds and its state
/// names, the JSON form and every error reading it can report, and the summary table.
/// </summary>
public sealed class ModelArchitectureTests
{
    [Fact]
    public void ViewAsInput_ReshapesFlatRowsToTheImageShape_AndRefusesAnotherSize()
    {
        var cnn = ModelArchitecture.Cnn(1, 8, 8, 10);
        var rows = Tensor.Arange(3 * 64).Reshape(3, 64);

        var images = cnn.ViewAsInput(rows);
        Assert.Equal([3, 1, 8, 8], images.ShapeArray);
        Assert.Equal(rows.ToArray<float>(), images.ToArray<float>());
        var already = Tensor.Zeros(2, 1, 8, 8);
        Assert.Same(already, cnn.ViewAsInput(already));
        var error = Assert.Throws<ShapeMismatchException>(() => cnn.ViewAsInput(Tensor.Zeros(3, 63)));
        Assert.Contains("hold 63 values, but the network's input [1, 8, 8] holds 64", error.Message);
    }

    [Fact]
    public void Cnn_ForFashionMnist_HasTheBenchmarkLayersShapesAndStateNames()
    {
        var architecture = ModelArchitecture.Cnn(1, 28, 28, 10);

        Assert.Equal([10], architecture.OutputShape);
        Assert.Equal(10, architecture.OutputSize);
        // conv 1→16: 16·1·9 + 16 = 160; conv 16→32: 32·16·9 + 32 = 4,640; linear 32·7·7 = 1,568 → 10: 15,690.
        Assert.Equal(160 + 4_640 + 15_690, architecture.ParameterCount);
        var network = architecture.Build(generator: new Generator(1));
        Assert.Equal(architecture.ParameterCount, network.ParameterCount);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"], network.StateDict().Keys);
        Assert.Equal([32, 16, 3, 3], network.StateDict()["3.weight"].Shape);
        Assert.Equal([10, 1568], network.StateDict()["7.weight"].Shape);
        Assert.Equal([2, 10], network.Forward(Tensor.Zeros(2, 1, 28, 28)).Shape);
    }

    [Fact]
    public void Cnn_ForDigits_ShrinksTheLinearLayer_AndRejectsImagesTooSmallToPoolTwice()
    {
        var digits = ModelArchitecture.Cnn(1, 8, 8, 10);
        Assert.Equal(new LinearSpec(32 * 2 * 2, 10), digits.Layers[^1]);
        Assert.Equal([3, 10], digits.Build().Forward(Tensor.Zeros(3, 1, 8, 8)).Shape);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelArchitecture.Cnn(1, 3, 28, 10));
        Assert.Contains("at least 4×4 pixels", e.Message);
        Assert.Contains("got 3×28", e.Message);
    }

    [Fact]
    public void Mlp_WithBatchNormAndDropout_PutsThemAfterEachHiddenLayer()
    {
        var architecture = ModelArchitecture.Mlp(4, [8, 6], Activation.Tanh, 3, dropout: 0.25, batchNorm: true);

        LayerSpec[] expected =
        [
            new LinearSpec(4, 8), new BatchNorm1dSpec(8), new ActivationSpec(Activation.Tanh), new DropoutSpec(0.25),
            new LinearSpec(8, 6), new BatchNorm1dSpec(6), new ActivationSpec(Activation.Tanh), new DropoutSpec(0.25),
            new LinearSpec(6, 3),
        ];
        Assert.Equal(expected, architecture.Layers);
        var network = architecture.Build(DType.Float64, new Generator(2));
        Assert.Equal(architecture.ParameterCount, network.ParameterCount);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], network.StateDict().Keys.Take(7));
        Assert.IsType<Dropout>(network[3]);
        Assert.IsType<Tanh>(network[2]);
        Assert.All(network.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
    }

    [Fact]
    public void Build_InitialisesAsPyTorchDoes_FromTheGenerator()
    {
        var architecture = ModelArchitecture.Linear(5, 2);

        var first = architecture.Build(generator: new Generator(7));
        var same = architecture.Build(generator: new Generator(7));
        var direct = new Linear(5, 2, generator: new Generator(7));

        Assert.Equal(direct.Weight.ToArray<float>(), first.StateDict()["0.weight"].ToArray<float>());
        Assert.Equal(direct.Bias!.ToArray<float>(), first.StateDict()["0.bias"].ToArray<float>());
        Assert.Equal(first.StateDict()["0.weight"].ToArray<float>(), same.StateDict()["0.weight"].ToArray<float>());
        // Kaiming uniform with a = √5: U(−1/√in, 1/√in).
        Assert.All(first.StateDict()["0.weight"].ToArray<float>(), w => Assert.InRange(w, -1 / MathF.Sqrt(5), 1 / MathF.Sqrt(5)));
    }

    [Fact]
    public void Json_HasTheDocumentedForm_AndRoundTripsEveryKind()
    {
        Assert.Equal(
            "{\"input_shape\":[3],\"layers\":[{\"kind\":\"linear\",\"in_features\":3,\"out_features\":2},{\"kind\":\"leaky_relu\"}]}",
            new ModelArchitecture([3], [new LinearSpec(3, 2), new ActivationSpec(Activation.LeakyRelu)]).ToJson());

        var every = new ModelArchitecture([2, 9, 9],
        [
            new Conv2dSpec(2, 4, 3, 2, 1), new ActivationSpec(Activation.Gelu), new MaxPool2dSpec(2, 1), new ActivationSpec(Activation.Sigmoid),
            new FlattenSpec(), new BatchNorm1dSpec(64), new DropoutSpec(0.1), new LinearSpec(64, 5), new ActivationSpec(Activation.Relu),
            new ActivationSpec(Activation.LeakyRelu), new ActivationSpec(Activation.Tanh), new ActivationSpec(Activation.Identity),
        ]);
        var read = ModelArchitecture.FromJson(every.ToJson());

        Assert.Equal(every.InputShape, read.InputShape);
        Assert.Equal(every.Layers, read.Layers);
        Assert.Equal(every.ToJson(), read.ToJson());
        Assert.Equal([5], read.OutputShape);
    }

    private const string Linear43 = "{\"kind\":\"linear\",\"in_features\":4,\"out_features\":3}";

    public static TheoryData<string, string> InvalidJson() => new()
    {
        { "{\"input_shape\":[4],", "architecture: it is not valid JSON" },
        { "[4]", "architecture: the architecture is a JSON Array, not an object" },
        { "{\"layers\":[]}", "the architecture: \"input_shape\" is missing" },
        { "{\"input_shape\":4,\"layers\":[]}", "the architecture: \"input_shape\" must be an array, got 4" },
        { "{\"input_shape\":[4.5],\"layers\":[]}", "the architecture: \"input_shape\" must hold integers, but item 0 is 4.5" },
        { "{\"input_shape\":[4,0],\"layers\":[" + Linear43 + "]}", "input_shape must be a non-empty list of positive sizes, got [4, 0]" },
        { "{\"input_shape\":[4]}", "the architecture: \"layers\" is missing" },
        { "{\"input_shape\":[4],\"layers\":[]}", "an architecture needs at least one layer" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + "],\"optimizer\":\"adam\"}", "the architecture: unknown field \"optimizer\"" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",7]}", "layer 1 is a JSON Number, not an object" },
        { "{\"input_shape\":[4],\"layers\":[{\"in_features\":4}]}", "layer 0: \"kind\" is missing" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":3}]}", "layer 0: \"kind\" must be a string, got 3" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"softplus\"}]}", "layer 0 (softplus): unknown kind \"softplus\" (expected one of linear, relu, leaky_relu, sigmoid, tanh, gelu, identity, dropout, batch_norm1d, flatten, conv2d, max_pool2d, sequence_classifier, embedding_bag, tfidf_linear)" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4}]}", "layer 0 (linear): \"out_features\" is missing" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":0}]}", "layer 0 (linear): out_features must be a positive integer, got 0" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":-4,\"out_features\":3}]}", "layer 0 (linear): in_features must be a positive integer, got -4" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":2.5}]}", "layer 0 (linear): \"out_features\" must be an integer, got 2.5" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":\"3\"}]}", "layer 0 (linear): \"out_features\" must be an integer, got \"3\"" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":3,\"bias\":false}]}", "layer 0 (linear): unknown field \"bias\"" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":3,\"out_features\":5}]}", "layer 0 names \"out_features\" twice" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",{\"kind\":\"dropout\",\"p\":1}]}", "layer 1 (dropout): p must be in [0, 1), got 1" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",{\"kind\":\"dropout\",\"p\":-0.5}]}", "layer 1 (dropout): p must be in [0, 1), got -0.5" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",{\"kind\":\"dropout\"}]}", "layer 1 (dropout): \"p\" is missing" },
        { "{\"input_shape\":[5],\"layers\":[" + Linear43 + "]}", "layer 0 (linear): expects 4 input features, gets 5" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",{\"kind\":\"relu\"}," + Linear43 + "]}", "layer 2 (linear): expects 4 input features, gets 3" },
        { "{\"input_shape\":[4],\"layers\":[" + Linear43 + ",{\"kind\":\"batch_norm1d\",\"num_features\":4}]}", "layer 1 (batch_norm1d): expects per-sample shape [4] or [4, length], got [3]" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":3,\"out_channels\":4,\"kernel_size\":3,\"stride\":1,\"padding\":0}]}", "layer 0 (conv2d): expects 3 input channels, got 1 (per-sample shape [1, 8, 8])" },
        { "{\"input_shape\":[1,2,2],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":4,\"kernel_size\":3,\"stride\":1,\"padding\":0}]}", "layer 0 (conv2d): the 3×3 kernel is larger than the padded input [1, 2, 2] (padding 0)" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":4,\"kernel_size\":3,\"stride\":0,\"padding\":0}]}", "layer 0 (conv2d): stride must be a positive integer, got 0" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":4,\"kernel_size\":3,\"stride\":1,\"padding\":-1}]}", "layer 0 (conv2d): padding must be a non-negative integer, got -1" },
        { "{\"input_shape\":[64],\"layers\":[{\"kind\":\"max_pool2d\",\"kernel_size\":2,\"stride\":2}]}", "layer 0 (max_pool2d): expects a per-sample image of shape [channels, height, width], got [64]" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"max_pool2d\",\"kernel_size\":9,\"stride\":2}]}", "layer 0 (max_pool2d): the 9×9 window is larger than the input [1, 8, 8]" },
        { "{\"input_shape\":[1,8,8],\"layers\":[" + Linear43 + "]}", "layer 0 (linear): expects a vector of 4 features, gets per-sample shape [1, 8, 8] (a flatten layer before it makes one)" },
        { "{\"input_shape\":[4],\"layers\":[{\"kind\":\"linear\",\"in_features\":4,\"out_features\":2000000000}]}", "layer 0 (linear): its weight of shape [2000000000, 4] is too large for one array" },
        { "{\"input_shape\":[2000000000,2000000000,2000000000],\"layers\":[{\"kind\":\"flatten\"}]}", "input_shape [2000000000, 2000000000, 2000000000] has too many values per sample" },
        { "{\"input_shape\":[1,1000000000,1],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":1,\"kernel_size\":1500000001,\"stride\":1,\"padding\":1500000000}]}", "layer 0 (conv2d): the output would be 2500000000 wide, too large" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":16,\"kernel_size\":3,\"stride\":1,\"padding\":5000}]}", "layer 0 (conv2d): padding 5000 must be smaller than the kernel size 3: with more, the outer rows and columns of the output see only padding zeros" },
        { "{\"input_shape\":[1,8,8],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":1,\"out_channels\":16,\"kernel_size\":3,\"stride\":1,\"padding\":3}]}", "layer 0 (conv2d): padding 3 must be smaller than the kernel size 3" },
        { "{\"input_shape\":[64,128,128],\"layers\":[{\"kind\":\"conv2d\",\"in_channels\":64,\"out_channels\":1,\"kernel_size\":40,\"stride\":1,\"padding\":39}]}", "layer 0 (conv2d): the 2,855,833,600 values it unfolds each sample into are too many for one array" },
    };

    [Theory]
    [MemberData(nameof(InvalidJson))]
    public void FromJson_RejectsEveryProblem_NamingTheLayerAndWhatIsWrong(string json, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelArchitecture.FromJson(json));

        Assert.StartsWith("architecture: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Constructor_NamesTheLayerThatDoesNotFit()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelArchitecture.Mlp(4, [8, 0], Activation.Relu, 2));
        Assert.Contains("layer 2 (linear): out_features must be a positive integer, got 0", e.Message);

        var activation = Assert.Throws<ArgumentException>(() => new ModelArchitecture([4], [new ActivationSpec((Activation)42)]));
        Assert.Contains("layer 0 (42): 42 is not an activation", activation.Message);
    }

    [Fact]
    public void Describe_ListsEachLayerWithItsOutputShapeAndParameters_LikeKerasSummary()
    {
        var lines = ModelArchitecture.Mlp(64, [32], Activation.Relu, 10, dropout: 0.5, batchNorm: true).Describe();

        Assert.Equal(
        [
            "#  Layer            Output shape  Parameters",
            "   Input            [64]",
            "0  Linear(64 → 32)  [32]               2,080",
            "1  BatchNorm1d(32)  [32]                  64",
            "2  ReLU             [32]                   0",
            "3  Dropout(p=0.5)   [32]                   0",
            "4  Linear(32 → 10)  [10]                 330",
            "Total parameters: 2,474",
        ], lines);
    }
}
