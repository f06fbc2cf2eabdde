using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// The tabular preprocessor on the real data sets and on a small mixed table, against scikit-learn
/// (tools/fixtures/sklearn_tabular.py), and every message it gives for bad input.
/// </summary>
public sealed class TabularPreprocessorTests : TemporaryFolder
{
    private static readonly TabularFixture Fixture = FixtureFile.Load<TabularFixture>("sklearn_tabular.json");

    private static string MixedCsv => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tabular", "mixed.csv");

    [Fact]
    public void MixedTable_WithImputation_MatchesScikitLearn()
    {
        var expected = Fixture.Mixed;
        var table = Csv.Read(MixedCsv);

        var prep = Fit(table, expected, new TabularOptions(Missing: MissingValuePolicy.ImputeMean));
        var x = prep.TransformFeatures(table);

        Assert.Equal(ModelTask.Classification, prep.Task);
        Assert.Equal(expected.Classes, prep.ClassLabels);
        Assert.Equal([12, expected.Features], x.Shape);
        Assert.Equal(["size", "color", "weight", "shape"], prep.InputColumns);
        Assert.Equal(["size", "color=blue", "color=green", "color=red", "weight", "shape=round", "shape=square"], prep.FeatureNames);
        AssertClose(expected.Transformed, x.ToArray<float>());
        // Row 11 holds an unseen shape ("triangle"): all zeros in the shape slots. Row 10's "purple" likewise.
        Assert.Equal([0f, 0f], x.ToArray<float>().AsSpan(11 * 7 + 5, 2).ToArray());
        Assert.Equal([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0], prep.TransformTargets(table).ToArray<int>());
    }

    [Fact]
    public void Diabetes_IsRegression_StandardisedAsScikitLearn_AndTargetsComeBack()
    {
        var expected = Fixture.Diabetes;
        var table = Csv.Read(SharedData.PathOf("diabetes.csv"));

        var prep = Fit(table, expected);
        var y = prep.TransformTargets(table);

        Assert.Equal(ModelTask.Regression, prep.Task);
        Assert.Empty(prep.ClassLabels);
        Assert.Equal([10], prep.SampleShape);
        AssertClose(expected.Transformed, prep.TransformFeatures(table).ToArray<float>()[..expected.Transformed.Length]);
        Assert.Equal(expected.TargetMean!.Value, prep.TargetMean, 1e-9);
        Assert.Equal(expected.TargetScale!.Value, prep.TargetScale, 1e-9);
        Assert.Equal(DType.Float32, y.DType);
        var back = prep.InverseTransformTarget(y).ToArray<float>();
        for (int i = 0; i < table.RowCount; i++) Assert.Equal(table["progression"].Numbers[i], back[i], 1e-3);
    }

    [Fact]
    public void Iris_TextTarget_IsThreeSortedClasses_AndFeaturesMatchScikitLearn()
    {
        var expected = Fixture.Iris;
        var table = Csv.Read(SharedData.PathOf("iris.csv"));

        var prep = Fit(table, expected);
        var y = prep.TransformTargets(table);

        Assert.Equal(ModelTask.Classification, prep.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], prep.ClassLabels);
        Assert.Equal(expected.Classes, prep.ClassLabels);
        AssertClose(expected.Transformed, prep.TransformFeatures(table).ToArray<float>()[..expected.Transformed.Length]);
        Assert.Equal(DType.Int32, y.DType);
        Assert.Equal(50, y.ToArray<int>().Count(c => c == 2));
        Assert.Throws<InvalidOperationException>(() => prep.InverseTransformTarget(Tensor.Zeros(3)));
    }

    [Fact]
    public void BreastCancer_ZeroOneTarget_IsBinaryClassification()
    {
        var table = Csv.Read(SharedData.PathOf("breast_cancer.csv"));

        var prep = TabularPreprocessor.Fit(table, "malignant_is_0", AllRows(table));

        Assert.Equal(ModelTask.Classification, prep.Task);
        Assert.Equal(["0", "1"], prep.ClassLabels);
        Assert.Equal([569, 30], prep.TransformFeatures(table).Shape);
        Assert.Equal(357, prep.TransformTargets(table).ToArray<int>().Sum());
    }

    [Fact]
    public void Digits_TenIntegerLevels_AreClasses_AndTheTargetMayBeGivenByPosition()
    {
        var table = Csv.Read(SharedData.PathOf("digits.csv"));

        var prep = TabularPreprocessor.Fit(table, "64", AllRows(table));

        Assert.Equal("digit", prep.Target);
        Assert.Equal(ModelTask.Classification, prep.Task);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), prep.ClassLabels);
        // A pixel column that is 0 in every row is constant: scale 1, so it maps to 0, never NaN.
        Assert.All(prep.TransformFeatures(table).ToArray<float>(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void NumberLabels_SortByValue()
    {
        var table = Table("a,y\n1,10\n2,2\n3,10\n4,2\n5,9\n6,2\n7,10\n");

        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table));

        Assert.Equal(["2", "9", "10"], prep.ClassLabels);
        Assert.Equal([2, 0, 2, 0, 1, 0, 2], prep.TransformTargets(table).ToArray<int>());
    }

    [Theory]
    [InlineData("1.5,2.5,1.5,2.5,1.5,2.5", ModelTask.Regression)]        // not whole numbers
    [InlineData("1,2,3,1,2,3", ModelTask.Classification)]                 // 3 levels, 6 rows
    [InlineData("1,2,3,4,1,2", ModelTask.Regression)]                     // 4 levels: more than half of 6 rows
    public void Auto_DecidesFromTheTrainingTargets(string targets, ModelTask expected)
    {
        var table = Table("a,y\n" + string.Concat(targets.Split(',').Select((t, i) => $"{i},{t}\n")));

        Assert.Equal(expected, TabularPreprocessor.Fit(table, "y", AllRows(table)).Task);
    }

    [Fact]
    public void Auto_MoreThanTwentyLevels_IsRegression_AndClassificationCanBeForced()
    {
        var table = Table("a,y\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{i % 21}\n")));

        Assert.Equal(ModelTask.Regression, TabularPreprocessor.Fit(table, "y", AllRows(table)).Task);
        var forced = TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(ModelTask.Classification));
        Assert.Equal(21, forced.ClassLabels.Count);
    }

    [Fact]
    public void DetectTask_JudgesEveryRowWithATarget_AsFitWouldDecide()
    {
        var levels = Table("a,y\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{i % 21}\n")));
        var few = Table("a,y\n1,3\n2,\n3,4\n4,3\n5,4\n");

        Assert.Equal(ModelTask.Regression, TabularPreprocessor.DetectTask(levels, "y"));
        Assert.Equal(TabularPreprocessor.Fit(levels, "y", AllRows(levels)).Task, TabularPreprocessor.DetectTask(levels, "y"));
        Assert.Equal(ModelTask.Classification, TabularPreprocessor.DetectTask(few, "y"));
        Assert.Equal(ModelTask.Classification, TabularPreprocessor.DetectTask(Table("a,y\n1.5,cat\n2,dog\n"), "1"));
        Assert.StartsWith("t.csv: there is no target column 'price'", Assert.Throws<ArgumentException>(() => TabularPreprocessor.DetectTask(few, "price")).Message);
    }

    [Fact]
    public void RegressionOnText_NamesTheColumnAndACell()
    {
        var table = Table("a,y\n1,cat\n2,dog\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(ModelTask.Regression)));

        Assert.Equal("t.csv, column 'y': regression needs a number target, but the column holds text (line 2 has \"cat\"); use classification.", e.Message);
    }

    [Fact]
    public void OneClass_NamesTheColumnAndTheClass()
    {
        var table = Table("a,y\n1,cat\n2,cat\n3,dog\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", [0, 1]));

        Assert.Equal("t.csv, column 'y': every training row has the class 'cat'; a classifier needs at least two classes.", e.Message);
    }

    [Fact]
    public void UnknownTarget_ListsTheColumns()
    {
        var table = Table("a,b,y\n1,2,3\n");

        var e = Assert.Throws<ArgumentException>(() => TabularPreprocessor.Fit(table, "price", [0]));

        Assert.StartsWith("t.csv: there is no target column 'price' (a name, or a 0-based position below 3); the columns are: a, b, y.", e.Message);
    }

    [Fact]
    public void MissingFeature_WithError_NamesFileLineAndColumn_AndSuggestsImputing()
    {
        // The blank line and the quoted line break move the rows down: the message counts lines of the file.
        var table = Table("a,b,y\n\"x\ny\",1,0\n\nz,,1\nz,3,0\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table)));

        Assert.Equal("t.csv, line 5, column 'b': the value is missing; fill it in, or impute missing values (MissingValuePolicy.ImputeMean, --impute mean on the command line).", e.Message);
    }

    [Fact]
    public void MissingTarget_InATrainingRow_IsAnError()
    {
        var table = Table("a,y\n1,cat\n2,\n3,dog\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table)));

        Assert.Equal("t.csv, line 3, column 'y': the target value is missing; every training row needs one.", e.Message);
    }

    [Fact]
    public void OnlyTheTrainingRows_AreLearnt()
    {
        var table = Table("a,c,y\n1,red,0\n3,blue,1\n100,green,0\n");

        var prep = TabularPreprocessor.Fit(table, "y", [0, 1]);

        Assert.Equal(["a", "c=blue", "c=red"], prep.FeatureNames);
        Assert.Equal([-1f, 0, 1, 1, 1, 0, 98, 0, 0], prep.TransformFeatures(table).ToArray<float>());
    }

    [Fact]
    public void PredictTable_MayReorderColumns_AddColumns_AndLeaveOutTheTarget()
    {
        var table = Csv.Read(MixedCsv);
        var prep = TabularPreprocessor.Fit(table, "label", Fixture.Mixed.TrainingRows, new TabularOptions(Missing: MissingValuePolicy.ImputeMean));
        var lines = File.ReadAllLines(MixedCsv).Select(l => l.Split(',')).ToArray();
        var reordered = string.Concat(lines.Select((cells, i) => $"{cells[3]},{(i == 0 ? "extra" : "7")},{cells[2]},{cells[1]},{cells[0]}\n"));

        var again = prep.TransformFeatures(Table(reordered));

        Assert.Equal(prep.TransformFeatures(table).ToArray<float>(), again.ToArray<float>());
    }

    [Fact]
    public void PredictTable_WithoutAFeatureColumn_NamesItAndTheFile()
    {
        var table = Table("a,b,y\n1,2,0\n3,4,1\n");
        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table));

        var e = Assert.Throws<InvalidDataException>(() => prep.TransformFeatures(Table("a,y\n1,0\n", "new.csv")));

        Assert.Equal("new.csv: the column 'b' is missing; the model reads the columns a, b.", e.Message);
    }

    [Fact]
    public void PredictTable_OfAnotherKind_NamesBothSidesBriefly()
    {
        var digits = Csv.Read(SharedData.PathOf("digits.csv"));
        var prep = TabularPreprocessor.Fit(digits, "digit", [.. Enumerable.Range(0, 200)]);
        var iris = Csv.Read(SharedData.PathOf("iris.csv"));

        var e = Assert.Throws<InvalidDataException>(() => prep.TransformFeatures(iris));

        Assert.Equal($"{SharedData.PathOf("iris.csv")}: 64 of the 64 columns the model reads are missing ('p0', 'p1', 'p2', 'p3', 'p4' and 59 more), "
            + "so these may not be the data the model was trained for; the file has the columns sepal_length, sepal_width, petal_length, petal_width, species.", e.Message);
    }

    [Fact]
    public void PredictTable_WithTextInANumberColumn_NamesFileLineColumnAndCell()
    {
        var table = Table("a,b,y\n1,2,0\n3,4,1\n");
        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table));

        // The first cell is text, so the reader takes the column as text; numbers in it still count.
        var e = Assert.Throws<InvalidDataException>(() => prep.TransformFeatures(Table("a,b\n1,oops\n2,4\n", "new.csv")));
        var ok = prep.TransformFeatures(Table("a,b\n1,\"4\"\n", "new.csv"));

        Assert.Equal("new.csv, line 2, column 'b': \"oops\" is not a number, but the model was trained on numbers in this column.", e.Message);
        Assert.Equal([-1f, 1], ok.ToArray<float>());
    }

    [Fact]
    public void PredictTable_WithAMissingCell_AndNoImputation_NamesTheLine()
    {
        var table = Table("a,b,y\n1,2,0\n3,4,1\n");
        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table));

        var e = Assert.Throws<InvalidDataException>(() => prep.TransformFeatures(Table("a,b\n1,2\nNA,4\n", "new.csv")));

        Assert.StartsWith("new.csv, line 3, column 'a': the value is missing", e.Message);
    }

    [Fact]
    public void EvaluateTable_WithAnUnknownLabel_NamesTheLineAndLabel()
    {
        var table = Csv.Read(SharedData.PathOf("iris.csv"));
        var prep = TabularPreprocessor.Fit(table, "species", AllRows(table));

        var e = Assert.Throws<InvalidDataException>(() => prep.TransformTargets(Table("sepal_length,species\n5,setosa\n6,rosa\n", "eval.csv")));
        var absent = Assert.Throws<InvalidDataException>(() => prep.TransformTargets(Table("sepal_length\n5\n", "eval.csv")));

        Assert.Equal("eval.csv, line 3, column 'species': the label 'rosa' was not seen in training; the classes are ['setosa', 'versicolor', 'virginica'].", e.Message);
        Assert.Equal("eval.csv: there is no target column 'species'; the columns are: sepal_length.", absent.Message);
    }

    [Fact]
    public void Json_RoundTrip_GivesIdenticalTransforms()
    {
        var mixed = Csv.Read(MixedCsv);
        var diabetes = Csv.Read(SharedData.PathOf("diabetes.csv"));
        var classifier = Fit(mixed, Fixture.Mixed, new TabularOptions(Missing: MissingValuePolicy.ImputeMean));
        var regressor = Fit(diabetes, Fixture.Diabetes);

        foreach (var (prep, table) in new[] { (classifier, mixed), (regressor, diabetes) })
        {
            string json = prep.ToJson();
            var back = Assert.IsType<TabularPreprocessor>(Preprocessor.FromJson(json));

            Assert.Contains("\"kind\":\"tabular\"", json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(prep.Task, back.Task);
            Assert.Equal(prep.Missing, back.Missing);
            Assert.Equal(prep.FeatureNames, back.FeatureNames);
            Assert.Equal(prep.ClassLabels, back.ClassLabels);
            Assert.Equal(prep.TransformFeatures(table).ToArray<float>(), back.TransformFeatures(table).ToArray<float>());
            Assert.Equal(prep.TransformTargets(table).ToDoubleArray(), back.TransformTargets(table).ToDoubleArray());
        }
    }

    public static TheoryData<string, string> BrokenJson => new()
    {
        { "{", "Preprocessing JSON: not valid JSON" },
        { "[1]", "Preprocessing JSON: expected a JSON object, found an array." },
        { "{}", "Preprocessing JSON: the field \"kind\" is missing; expected a string." },
        { "{\"kind\":\"audio\"}", "Preprocessing JSON: \"kind\" is \"audio\", expected one of \"tabular\", \"image\", \"ratings\"." },
        { Valid.Replace("\"task\":\"regression\",", ""), "Preprocessing JSON: the field \"task\" is missing; expected a string." },
        { Valid.Replace("\"target\":\"y\"", "\"target\":3"), "Preprocessing JSON: \"target\" is the number 3, expected a string." },
        { Valid.Replace("\"mean\":2", "\"mean\":\"2\""), "Preprocessing JSON, features[0]: \"mean\" is the string \"2\", expected a number." },
        { Valid.Replace("\"scale\":1.5", "\"scale\":0"), "Preprocessing JSON, features[0]: \"scale\" is 0, expected a positive number." },
        { Valid.Replace("\"most_frequent\":1", "\"most_frequent\":2"), "Preprocessing JSON, features[1]: \"most_frequent\" is 2, but there are only 2 categories." },
        { Valid.Replace("[\"p\",\"q\"]", "[\"p\",\"p\"]"), "Preprocessing JSON, features[1]: column 'c': the label 'p' appears twice" },
        { Valid.Replace("\"name\":\"c\"", "\"name\":\"a\""), "Preprocessing JSON: the column 'a' appears twice among the target and the features." },
        { Valid.Replace(",\"target_scale\":4", ""), "Preprocessing JSON: the field \"target_scale\" is missing; expected a number." },
        { Valid.Replace("\"features\":[", "\"features\":[3,"), "Preprocessing JSON, features[0]: expected an object, found the number 3." },
    };

    [Fact]
    public void FromJson_OfAWrittenDocument_TransformsByIt()
    {
        var prep = Assert.IsType<TabularPreprocessor>(Preprocessor.FromJson(Valid));

        Assert.Equal([2f, 0, 1], prep.TransformFeatures(Table("c,a\nq,5\n")).ToArray<float>());
        Assert.Equal([12f], prep.InverseTransformTarget(Tensor.FromArray([0.5f])).ToArray<float>());
    }

    [Theory]
    [MemberData(nameof(BrokenJson))]
    public void FromJson_TrustsNothing_AndNamesWhatIsWrong(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Preprocessor.FromJson(json));

        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void EmptyColumn_IsReportedAsEmpty_NotAsItsFirstMissingCell()
    {
        var table = Table("a,empty,y\n1,,0\n2,,1\n3,,0\n4,,1\n");

        foreach (var missing in new[] { MissingValuePolicy.Error, MissingValuePolicy.ImputeMean })
        {
            var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(null, missing)));
            Assert.Equal("t.csv, column 'empty': every training row is missing this value, so nothing can be learnt from it. "
                + "Leave the column out of the features (TabularOptions.Drop, --drop empty on the command line).", e.Message);
        }
    }

    [Fact]
    public void InfiniteNumber_NamesLineAndColumn_InTrainingAndInNewData()
    {
        var training = Table("a,y\n1,0\nInfinity,1\n3,0\n4,1\n");
        var fitted = TabularPreprocessor.Fit(Table("a,y\n1,0\n2,1\n3,0\n4,1\n"), "y", [0, 1, 2, 3]);
        var regression = TabularPreprocessor.Fit(Table("a,y\n1,10\n2,20\n3,30\n4,40\n"), "y", [0, 1, 2, 3], new TabularOptions(ModelTask.Regression));

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(training, "y", AllRows(training)));
        var later = Assert.Throws<InvalidDataException>(() => fitted.TransformFeatures(Table("a,y\n1,0\n-Infinity,1\n", "new.csv")));
        var target = Assert.Throws<InvalidDataException>(() => regression.TransformTargets(Table("a,y\n1,10\n2,Infinity\n", "new.csv")));

        Assert.Equal("t.csv, line 3, column 'a': the value is +infinity; a model needs finite numbers: replace it, or leave the cell empty to mark it missing.", e.Message);
        Assert.StartsWith("new.csv, line 3, column 'a': the value is -infinity;", later.Message);
        Assert.StartsWith("new.csv, line 3, column 'y': the value is +infinity;", target.Message);
    }

    [Fact]
    public void DecimalCommaNumbers_AreRefused_WithTheFix()
    {
        var table = Table("a,y\n\"1,5\",0\n\"-2,25\",1\n\"3,0\",0\n\"4,5\",1\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table)));

        Assert.Equal("t.csv, line 2, column 'a': \"1,5\" is a number written with a decimal comma; every cell of the column is, "
            + "so write them with a decimal point (1.5) to use them as numbers.", e.Message);
    }

    [Fact]
    public void TextWithSomeCommas_StaysACategoryColumn()
    {
        var table = Table("a,y\n\"1,5\",0\n\"Paris, France\",1\n\"1,5\",0\nx,1\n");

        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table));

        Assert.Equal(["a=1,5", "a=Paris, France", "a=x"], prep.FeatureNames);
    }

    [Fact]
    public void IdentifierColumn_IsRefused_ButManyCategoriesInManyRowsAreKept()
    {
        var ids = Table("id,x,y\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"user{i:D4},{i},{i % 2}\n")));
        var cities = Table("city,y\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"city{i % 60},{i % 2}\n")));
        var smallTable = Table("name,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"n{i},{i % 2}\n")));

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(ids, "y", AllRows(ids)));

        Assert.Equal("t.csv, column 'id': 200 different texts in 200 training rows (line 2 has \"user0000\"), so it looks like an identifier rather than a category; "
            + "one-hot encoding it would give 200 model inputs that say nothing about new rows. "
            + "Leave the column out of the features (TabularOptions.Drop, --drop id on the command line).", e.Message);
        Assert.Equal(60, TabularPreprocessor.Fit(cities, "y", AllRows(cities)).FeatureNames.Count);
        Assert.Equal(50, TabularPreprocessor.Fit(smallTable, "y", AllRows(smallTable)).FeatureNames.Count);
    }

    [Fact]
    public void DroppedColumns_ByNameOrPosition_AreNotFeatures_AndNewDataNeedsNotHaveThem()
    {
        var table = Table("id,a,leak,c,y\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"u{i},{i},{i % 2},{(i % 3 == 0 ? "p" : "q")},{i % 2}\n")));

        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["id", "2"]));
        var withoutThem = Table("c,a\np,5\n", "new.csv");

        Assert.Equal(["a", "c"], prep.InputColumns);
        Assert.Equal(["a", "c=p", "c=q"], prep.FeatureNames);
        Assert.Equal([1f, 0f], prep.TransformFeatures(withoutThem).ToArray<float>()[1..]);
        Assert.Equal(prep.InputColumns, Assert.IsType<TabularPreprocessor>(Preprocessor.FromJson(prep.ToJson())).InputColumns);
    }

    [Fact]
    public void DroppingAnUnknownColumn_NamesItAndListsTheColumns()
    {
        var table = Table("id,a,y\nu1,1,0\nu2,2,1\n");

        var byName = Assert.Throws<ArgumentException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["ID"])));
        var byPosition = Assert.Throws<ArgumentException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["3"])));

        Assert.StartsWith("t.csv: there is no column to drop 'ID' (a name, or a 0-based position below 3); the columns are: id, a, y.", byName.Message);
        Assert.StartsWith("t.csv: there is no column to drop '3' (a name, or a 0-based position below 3);", byPosition.Message);
    }

    [Fact]
    public void DroppingTheTarget_SaysSo()
    {
        var table = Table("id,a,y\nu1,1,0\nu2,2,1\n");

        var e = Assert.Throws<ArgumentException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["2"])));

        Assert.StartsWith("t.csv: '2' is the target column 'y', which cannot be dropped; choose another target or leave it out of the columns to drop.", e.Message);
    }

    [Fact]
    public void DroppingEveryFeature_SaysNoneIsLeft()
    {
        var table = Table("id,a,y\nu1,1,0\nu2,2,1\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["id", "a"])));

        Assert.Equal("t.csv: dropping 'id', 'a' leaves only the target 'y'; at least one feature column is needed.", e.Message);
    }

    [Fact]
    public void AColumnOfNumbersWithAText_IsRefused_UnlessDropped()
    {
        var table = Table("a,b,y\n1,2,0\n3,x,1\n5,6,0\n7,8,1\n");

        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table)));
        var prep = TabularPreprocessor.Fit(table, "y", AllRows(table), new TabularOptions(Drop: ["b"]));

        Assert.StartsWith("t.csv, line 3, column 'b': \"x\" is not a number, but the column holds numbers in 3 of its 4 rows with a value;", e.Message);
        Assert.Equal(["a"], prep.InputColumns);
    }

    [Fact]
    public void ATargetOfNumbersWithAText_IsRefused_BeforeItsTaskIsDecided()
    {
        // Taken as text, its numbers would each become a class.
        var table = Table("a,y\n1,2.5\n3,x\n5,6.5\n7,8.5\n");

        var detect = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.DetectTask(table, "y"));
        var fit = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "y", AllRows(table)));

        Assert.Equal("t.csv, line 3, column 'y': \"x\" is not a number, but the column holds numbers in 3 of its 4 rows with a value; "
            + "correct it, or leave its row out: every row needs a target.", detect.Message);
        Assert.Equal(detect.Message, fit.Message);
    }

    [Fact]
    public void ReadTable_ChecksTheHeader_BeforeAnyRow()
    {
        var prep = TabularPreprocessor.Fit(Table("a,b,y\n1,2,0\n3,4,1\n"), "y", [0, 1]);
        // Line 2 is malformed (too many cells), but the header already shows the file does not fit.
        string noB = WriteText("no-b.csv", "a,y,c\n1,2,3,4,5\n");
        string noTarget = WriteText("no-target.csv", "b,a\n1,2,3\n");

        var features = Assert.Throws<InvalidDataException>(() => prep.ReadTable(noB));
        var target = Assert.Throws<InvalidDataException>(() => prep.ReadTable(noTarget, withTarget: true));

        Assert.Equal($"{noB}, line 1: the column 'b' is missing; the model reads the columns a, b.", features.Message);
        Assert.Equal($"{noTarget}, line 1: there is no target column 'y'; the columns are: b, a.", target.Message);
    }

    [Fact]
    public void ReadTable_KeepsOnlyTheModelsColumns_SoAMistakeInAnotherDoesNotMatter()
    {
        var prep = TabularPreprocessor.Fit(Table("a,b,y\n1,2,0\n3,4,1\n"), "y", [0, 1], new TabularOptions(ModelTask.Classification));
        string path = WriteText("new.csv", "note,b,a,y,code\nfine,2,1,0,7\nok,4,3,1,x\nyes,6,5,0,9\n");

        var table = prep.ReadTable(path);
        var withTarget = prep.ReadTable(path, withTarget: true);

        Assert.Equal(["b", "a"], table.ColumnNames);
        Assert.Equal(["b", "a", "y"], withTarget.ColumnNames);
        Assert.True(Csv.Read(path)["code"].IsMostlyNumbers);
        Assert.Equal(prep.TransformFeatures(Csv.Read(path)).ToArray<float>(), prep.TransformFeatures(table).ToArray<float>());
        Assert.Equal([0, 1, 0], prep.TransformTargets(withTarget).ToArray<int>());
    }

    private string WriteText(string name, string text) => WriteBytes(name, System.Text.Encoding.UTF8.GetBytes(text));

    private const string Valid =
        "{\"kind\":\"tabular\",\"task\":\"regression\",\"target\":\"y\",\"missing\":\"error\",\"features\":["
        + "{\"name\":\"a\",\"type\":\"numeric\",\"mean\":2,\"scale\":1.5},"
        + "{\"name\":\"c\",\"type\":\"categorical\",\"categories\":[\"p\",\"q\"],\"most_frequent\":1}],"
        + "\"target_mean\":10,\"target_scale\":4}";

    private static TabularPreprocessor Fit(CsvTable table, TabularCase expected, TabularOptions? options = null) =>
        TabularPreprocessor.Fit(table, expected.Target, expected.TrainingRows, options);

    private static int[] AllRows(CsvTable table) => [.. Enumerable.Range(0, table.RowCount)];

    private static CsvTable Table(string text, string source = "t.csv") => Csv.Read(new StringReader(text), source);

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: expected {expected[i]}, got {actual[i]}");
    }

    private sealed record TabularFixture(TabularCase Mixed, TabularCase Diabetes, TabularCase Iris);

    private sealed record TabularCase(string Target, int[] TrainingRows, int Rows, int Features, double[] Transformed, string[]? Classes, double? TargetMean, double? TargetScale);
}
