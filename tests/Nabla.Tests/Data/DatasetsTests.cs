using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The built-in data sets equal the shared copies of scikit-learn's, with sklearn's shapes, names and class order.</summary>
public sealed class DatasetsTests
{
    [Fact]
    public void Iris_HasThreeSortedSpecies()
    {
        var iris = Datasets.Iris();

        Assert.Equal([150, 4], iris.Features.Shape);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.FeatureNames);
        Assert.Equal("species", iris.TargetName);
        Assert.Equal([50, 50, 50], iris.Target.ToArray<int>().GroupBy(c => c).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(5.1, iris.Features[0, 0]);
        Assert.True(iris.IsClassification);
    }

    [Fact]
    public void Diabetes_IsARegressionOnRawValues()
    {
        var diabetes = Datasets.Diabetes();

        Assert.Equal([442, 10], diabetes.Features.Shape);
        Assert.False(diabetes.IsClassification);
        Assert.Equal(DType.Float64, diabetes.Target.DType);
        Assert.Equal(67243.0, diabetes.Target.ToArray<double>().Sum(), 6);   // load_diabetes().target.sum()
    }

    [Fact]
    public void ReadTable_IsTheShippedCsv_TargetLast()
    {
        var table = Datasets.ReadTable("digits");
        var digits = Datasets.Digits();

        Assert.Equal("digits.csv", table.Source);
        Assert.Equal(1797, table.RowCount);
        Assert.Equal(65, table.Columns.Count);
        Assert.Equal(digits.TargetName, table.Columns[^1].Name);
        Assert.Equal(digits.Features.ToArray<double>()[..64], table.Columns.Take(64).Select(c => c.Numbers[0]));
        Assert.Equal(["setosa", "versicolor", "virginica"], Datasets.ReadTable("iris")["species"].Categories.Order(StringComparer.Ordinal));
        Assert.Equal(Datasets.Names, ["iris", "diabetes", "breast_cancer", "digits"]);
    }

    [Fact]
    public void ReadTable_OfAnUnknownName_ListsTheBuiltInOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Datasets.ReadTable("mnist"));

        Assert.StartsWith("There is no built-in data set 'mnist'; the built-in ones are iris, diabetes, breast_cancer, digits.", e.Message);
    }

    [Fact]
    public void Digits_AreTheSharedFileExactly()
    {
        var digits = Datasets.Digits();
        var (trainX, trainY) = Digits.Train;

        Assert.Equal([1797, 64], digits.Features.Shape);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)), digits.ClassNames);
        // The test helper reads shared/data/digits.csv and holds out every fifth image: row 0 is training row 0.
        Assert.Equal(trainY.ToArray<int>()[0], digits.Target.ToArray<int>()[0]);
        Assert.Equal(trainX.ToArray<float>()[..64], digits.Features.ToArray<double>()[..64].Select(v => (float)(v / 16)));
    }

    [Fact]
    public void BreastCancer_HasTwoClasses()
    {
        var cancer = Datasets.BreastCancer();

        Assert.Equal([569, 30], cancer.Features.Shape);
        Assert.Equal(["0", "1"], cancer.ClassNames);
        Assert.Equal(357, cancer.Target.ToArray<int>().Count(c => c == 1));   // benign, as in scikit-learn
    }

    [Fact]
    public void Catalog_DescribesEachDataSet_AsItLoads()
    {
        BuiltInDataset[] loaded = [Datasets.Iris(), Datasets.Diabetes(), Datasets.BreastCancer(), Datasets.Digits()];

        Assert.Equal(Datasets.Names, Datasets.Catalog.Select(info => info.Name));
        foreach (var (info, set) in Datasets.Catalog.Zip(loaded))
        {
            Assert.Equal(set.Name, info.Name);
            Assert.Equal(set.Features.Shape, [info.Rows, info.Features]);
            Assert.Equal(set.TargetName, info.Target);
            Assert.Equal(set.ClassNames?.Count, info.Classes);
        }
        Assert.Equal("iris: 150 rows × 4 features, classification (3 classes), target 'species' (CC BY 4.0)", Datasets.Catalog[0].ToString());
        Assert.Equal("regression", Datasets.Catalog[1].Task);
    }

    [Fact]
    public void Catalog_Licences_AreTheNoticeOfTheBuiltInReadme()
    {
        // The README beside the files is the notice redistributions must keep: each row names the licence.
        string notice = File.ReadAllText(Path.Combine(RepositoryFolder.Root, "src", "Nabla", "Data", "BuiltIn", "README.md"));

        foreach (var info in Datasets.Catalog)
        {
            string row = Assert.Single(notice.Split('\n'), line => line.StartsWith($"| {info.Name}.csv |", StringComparison.Ordinal));
            Assert.Contains(info.Licence, row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OpenCsv_GivesTheShippedFileByteForByte()
    {
        string root = RepositoryFolder.Root;
        foreach (string name in Datasets.Names)
        {
            using var stream = Datasets.OpenCsv(name);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(Path.Combine(root, "src", "Nabla", "Data", "BuiltIn", $"{name}.csv")), copy.ToArray());
        }
        var e = Assert.Throws<ArgumentException>(() => Datasets.OpenCsv("Iris"));
        Assert.StartsWith("There is no built-in data set 'Iris'; the built-in ones are iris, diabetes, breast_cancer, digits.", e.Message);
    }
}
