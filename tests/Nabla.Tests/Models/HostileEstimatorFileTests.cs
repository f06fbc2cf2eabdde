using System.Text.Json.Nodes;
using Nabla.IO;
using Nabla.Models;

namespace Nabla.Tests.Models;

/// <summary>One saved file of each estimator kind, made once for the hostile-file tests to tamper with.</summary>
public sealed class SavedEstimators : TemporaryFolder
{
    public SavedEstimators()
    {
        foreach (string kind in FittedEstimators.Kinds)
        {
            var fitted = FittedEstimators.Make(kind, Folder);
            fitted.File().Save(PathOf($"{kind}.safetensors"));
            Features[kind] = fitted.Features;
        }
    }

    /// <summary>The rows each estimator was fitted on, prepared.</summary>
    public Dictionary<string, Tensor> Features { get; } = [];

    /// <summary>The saved file of <paramref name="kind"/>.</summary>
    public string File(string kind) => PathOf($"{kind}.safetensors");
}

/// <summary>
/// Estimator files crafted to be wrong, each a consistent safetensors file so that the model-file
/// checks are the ones that must catch them: another kind, a tampered shape or type, a missing or extra
/// tensor, settings of the wrong type, unknown or out of the constructor's range, classes that do not
/// fit the weights, ids and indices that do not hold together. Every one is a
/// <see cref="ModelFileException"/> naming the file and the problem, and none allocates more than the
/// file holds.
/// </summary>
public sealed class HostileEstimatorFileTests(SavedEstimators saved) : TemporaryFolder, IClassFixture<SavedEstimators>
{
    public static TheoryData<string, string, string> Changes() => new()
    {
        { "ridge", "model=linear_regression", "its settings: the field \"alpha\" is not one of this model's" },
        { "ridge", "model=logistic_regression", "its task is \"regression\", but a logistic_regression model does classification" },
        { "ridge", "model=random_forest", "its model is \"random_forest\", which this Nabla does not know; the kinds are network, linear_regression, ridge, logistic_regression" },
        { "ridge", "coef=F64[9]", "tensor \"coef\" has shape [9], the model needs [10]" },
        { "ridge", "coef=F32[10]", "tensor \"coef\" is F32, expected F64" },
        { "ridge", "coef=I32[10]", "tensor \"coef\" is I32, expected F64" },
        { "ridge", "intercept=", "the tensor \"intercept\" is missing" },
        { "ridge", "extra=F64[2]", "tensors the model does not have: extra" },
        { "ridge", "fitted.n_features_in=11", "tensor \"coef\" has shape [10], the model needs [11]" },
        { "ridge", "fitted.n_features_in=0", "its fitted values: \"n_features_in\" is the number 0, expected a whole number of at least 1" },
        { "ridge", "fitted.n_targets=2", "its fitted values say the targets were one vector but number 2" },
        { "ridge", "fitted.one_dimensional=false", "tensor \"coef\" has shape [10], the model needs [1, 10]" },
        { "ridge", "settings.alpha=-1", "its settings are out of range: Ridge: alpha must be non-negative, got -1" },
        { "ridge", "settings.alpha=\"big\"", "its settings: \"alpha\" is the string \"big\", expected a number" },
        { "ridge", "settings.alpha=null", "its settings: \"alpha\" is null, expected a number" },
        { "ridge", "settings.fit_intercept=", "its settings: the field \"fit_intercept\" is missing; expected true or false" },
        { "ridge", "settings.fit_intercept=1", "its settings: \"fit_intercept\" is the number 1, expected true or false" },
        { "ridge", "settings.solver=\"svd\"", "its settings: the field \"solver\" is not one of this model's" },
        { "ridge", "settings:{\"alpha\":1,\"alpha\":2,\"fit_intercept\":true}", "its settings: the field \"alpha\" appears twice" },
        { "ridge", "settings:alpha=1", "its settings: not valid JSON" },
        { "ridge", "settings:[1]", "its settings: expected a JSON object, found an array" },
        { "ridge", "settings", "its metadata has no \"settings\"" },
        { "ridge", "classes=[\"a\",\"b\"]", "a regression model has no classes, but classes were given" },
        { "ridge", "task=classification", "its task is \"classification\", but a ridge model does regression" },
        { "logistic_regression", "settings.penalty=\"l3\"", "its settings: \"penalty\" is \"l3\", expected one of \"none\", \"l2\", \"l1\", \"elastic_net\"" },
        { "logistic_regression", "settings.penalty=\"l1\"", "its settings are out of range: LogisticRegression: penalty must be L2 or None, got L1" },
        { "logistic_regression", "settings.C=0", "its settings are out of range: LogisticRegression: C must be positive, got 0" },
        { "logistic_regression", "fitted.n_iter=-1", "its fitted values: \"n_iter\" is the number -1, expected a whole number of at least 0" },
        { "logistic_regression", "classes=[\"setosa\",\"versicolor\"]", "tensor \"coef\" has shape [3, 4], the model needs [1, 4]" },
        { "logistic_regression", "classes=[\"setosa\",\"versicolor\",\"virginica\",\"rosa\"]", "are not in sorted order" },
        { "logistic_regression", "classes=[\"setosa\",\"versicolor\",\"versicolor\"]", "repeat a label" },
        { "logistic_regression", "classes=[\"setosa\"]", "its classes: classes must hold at least 2 classes, got ['setosa']" },
        { "logistic_regression", "classes=null", "it has a \"class_type\" (string) but no classes" },
        { "logistic_regression", "class_type=null", "its classes have no \"class_type\"" },
        { "logistic_regression", "class_type=Species", "its class type is \"Species\"; the types are string, bool" },
        { "logistic_regression", "class_type=int", "its class 0, \"setosa\", is not a label of type int as a model file writes one" },
        { "logistic_regression", "classes=null;class_type=null", "a classifier needs its classes, but there are none" },
        { "sgd_classifier", "classes=[\"0\",\"01\"]", "its class 1, \"01\", is not a label of type int as a model file writes one" },
        { "sgd_classifier", "classes=[\"1\",\"0\"]", "its classes [1, 0] (int) are not in sorted order, [0, 1]" },
        { "sgd_classifier", "fitted.t=0", "its fitted values: \"t\" is 0, expected at least 1" },
        { "sgd_classifier", "settings.tol=\"none\"", "its settings: \"tol\" is the string \"none\", expected a number" },
        { "sgd_regressor", "settings.learning_rate=\"optimal\";settings.alpha=0", "alpha must be positive with the Optimal learning rate" },
        { "linear_svc", "settings.random_state=-1", "its settings: \"random_state\" is the number -1, expected a whole number from 0 to 18446744073709551615" },
        { "linear_svc", "settings.loss=\"hinge\";settings.dual=false", "its settings are out of range: LinearSvc: the hinge loss is solved in the dual only" },
        { "linear_svc", "intercept=F64[9]", "tensor \"intercept\" has shape [9], the model needs [10]" },
        { "mlp_classifier", "settings.batch_norm=true", "its settings have \"batch_norm\" true, but a model file holds no batch-normalisation statistics" },
        { "mlp_classifier", "settings.hidden_layer_sizes=[1000000000]", "tensor \"coefs.0\" has shape [64, 16], the model needs [64, 1000000000]" },
        { "mlp_classifier", "settings.hidden_layer_sizes=[16,16]", "tensor \"coefs.1\" has shape [16, 10], the model needs [16, 16]" },
        { "mlp_classifier", "settings.hidden_layer_sizes=[]", "tensor \"coefs.0\" has shape [64, 16], the model needs [64, 10]" },
        { "mlp_classifier", "settings.hidden_layer_sizes=[0]", "its settings are out of range: MlpClassifier: hidden layer sizes must be positive, got 0 for layer 0 in [0]" },
        { "mlp_classifier", "settings.dtype=\"int32\"", "its settings are out of range: MlpClassifier: the weights must be Float64 or Float32, got Int32" },
        { "mlp_classifier", "settings.class_weight=", "its settings: the field \"class_weight\" is missing" },
        { "mlp_regressor", "settings.class_weight=\"balanced\"", "its settings: the field \"class_weight\" is not one of this model's" },
        { "mlp_regressor", "intercepts.1=", "the tensor \"intercepts.1\" is missing" },
        { "mlp_regressor", "settings.verbose=-1", "its settings: \"verbose\" is the number -1, expected a whole number of at least 0" },
        { "mlp_regressor", "settings.verbose=\"loud\"", "its settings: \"verbose\" is the string \"loud\", expected a whole number" },
        { "matrix_factorization", "settings.n_factors=0", "its settings are out of range: nFactors must be at least 1, got 0" },
        { "matrix_factorization", "user_ids=duplicate", "its user id 100 appears twice (rows 0 and 1)" },
        { "matrix_factorization", "rated_items=outside", "its \"rated_items\" holds item row 999 at 0; there are 26 items" },
        { "matrix_factorization", "rated_offsets=decreasing", "its \"rated_offsets\" decrease at user row 0" },
        { "matrix_factorization", "fitted.n_users=1000000000", "tensor \"user_ids\" has shape [41], the model needs [1000000000]" },
        { "implicit_matrix_factorization", "settings.solver=\"sgd\"", "its settings: \"solver\" is \"sgd\", expected one of \"als\", \"bpr\"" },
        { "implicit_matrix_factorization", "settings.init_std=0", "its settings are out of range: initStd must be a positive finite number, got 0" },
        { "implicit_matrix_factorization", "settings.solver=\"bpr\"", "the tensor \"item_bias\" is missing" },
        { "implicit_matrix_factorization", "item_ids=duplicate", "its item id 32 appears twice (rows 0 and 1)" },
        { "implicit_matrix_factorization", "seen_items=outside", "its \"seen_items\" holds item row 999 at 0; there are 26 items" },
        { "implicit_matrix_factorization", "seen_offsets=decreasing", "its \"seen_offsets\" decrease at user row 0" },
        { "implicit_matrix_factorization", "seen_items=swapped", "its \"seen_items\" are not in increasing order for user row 0" },
        { "implicit_matrix_factorization", "item_factors=nan", "tensor \"item_factors\" holds NaN at element 0" },
        { "implicit_matrix_factorization", "fitted.n_seen=1", "tensor \"seen_items\" has shape [" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void TamperedFile_IsAModelFileException_NamingTheFileAndTheProblem(string kind, string change, string problem)
    {
        string broken = Tamper(saved.File(kind), change);

        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(broken));

        Assert.StartsWith($"{broken}: not a valid Nabla model file: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    public static TheoryData<string> Kinds() => [.. FittedEstimators.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FlippedBytesInTheHeader_AreAModelFileException_OrLoadTheSameModel(string kind)
    {
        var features = saved.Features[kind].Slice(0, 0, 16);
        var expected = ModelFile.Load(saved.File(kind)).Predict(features);

        // Every fifth byte keeps the test short; a setting that only shapes training may change and load.
        int loads = HeaderFlips.LoadEach(saved.File(kind), PathOf("corrupt.safetensors"), 5,
            loaded => EstimatorFileTests.AssertBitIdentical(expected, loaded.Predict(features)));

        Assert.InRange(loads, 1, HeaderFlips.HeaderLength(saved.File(kind)) / 5);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Truncations_AreAModelFileException(string kind)
    {
        byte[] whole = File.ReadAllBytes(saved.File(kind));
        string cut = PathOf("cut.safetensors");
        foreach (int length in new[] { 0, 7, 8, 20, whole.Length / 2, whole.Length - 8, whole.Length - 1 })
        {
            File.WriteAllBytes(cut, whole[..length]);
            Assert.Contains(cut, Assert.Throws<ModelFileException>(() => ModelFile.Load(cut)).Message);
        }
    }

    /// <summary>
    /// A copy of <paramref name="path"/> with the changes, ";"-separated, each one of: "key=value" (a
    /// metadata entry set, or removed when there is no "="), "settings.x=json" or "fitted.x=json" (a field
    /// set, or removed when the value is empty), "settings:text" (the whole entry), "tensor=F64[3]" (a
    /// tensor of zeros put in, or removed when empty), and named damages of a recommender's ids and factors.
    /// </summary>
    private string Tamper(string path, string changes)
    {
        var content = Safetensors.Read(path);
        var tensors = new Dictionary<string, Tensor>(content.Tensors, StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(content.Metadata, StringComparer.Ordinal);
        foreach (string change in changes.Split(';'))
        {
            string[] parts = change.Split('=', 2);
            string name = parts[0];
            if (name.StartsWith("settings:", StringComparison.Ordinal))
                metadata["settings"] = change["settings:".Length..];
            else if (name.Split('.') is [("settings" or "fitted") and var entry, var field])
            {
                var json = JsonNode.Parse(metadata[entry])!.AsObject();
                if (parts[1].Length == 0) json.Remove(field);
                else json[field] = JsonNode.Parse(parts[1]);
                metadata[entry] = json.ToJsonString();
            }
            else if (tensors.ContainsKey(name) || name == "extra")
                tensors[name] = parts[1] switch
                {
                    "" => null!,
                    "duplicate" => WithFirst(tensors[name], 1, tensors[name].ToArray<int>()[0]),
                    "outside" => WithFirst(tensors[name], 0, 999),
                    "decreasing" => WithFirst(tensors[name], 1, -1),
                    "swapped" => WithFirst(WithFirst(tensors[name], 0, tensors[name].ToArray<int>()[1]), 1, tensors[name].ToArray<int>()[0]),
                    "nan" => Tensor.FromArray([double.NaN, .. tensors[name].ToArray<double>()[1..]], [.. tensors[name].Shape]),
                    var spec => Tensor.Zeros([.. spec[4..^1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)],
                        spec[..3] switch { "F32" => DType.Float32, "I32" => DType.Int32, _ => DType.Float64 }),
                };
            else if (parts.Length == 1) metadata.Remove(name);
            else metadata[name] = parts[1];
        }
        string crafted = PathOf($"crafted-{Guid.NewGuid():N}.safetensors");
        Safetensors.Write(crafted, tensors.Where(t => t.Value is not null), metadata);
        return crafted;
    }

    /// <summary>A copy of an Int32 tensor with element <paramref name="index"/> set to <paramref name="value"/>.</summary>
    private static Tensor WithFirst(Tensor tensor, int index, int value)
    {
        int[] values = tensor.ToArray<int>();
        values[index] = value;
        return Tensor.FromArray(values, [.. tensor.Shape]);
    }
}
