using Nabla.Data;

namespace Nabla.Cli;

/// <summary>The rows a training run uses, already split and scaled: the training rows (validation is carved from them) and the test rows.</summary>
/// <param name="Name">What the data are called in messages and output.</param>
/// <param name="XTrain">Training inputs, Float32 [rows, features].</param>
/// <param name="YTrain">Training class labels, Int32 [rows].</param>
/// <param name="XTest">Test inputs, Float32 [rows, features].</param>
/// <param name="YTest">Test class labels, Int32 [rows].</param>
/// <param name="ClassNames">The name of each class label.</param>
/// <param name="ImageShape">Channels, height and width when each row is an image, or null for plain features.</param>
internal sealed record TrainingData(string Name, Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest,
    IReadOnlyList<string> ClassNames, (int Channels, int Height, int Width)? ImageShape)
{
    /// <summary>The digits' pixels are ink levels from 0 to 16.</summary>
    private const float DigitsMaxPixel = 16f;

    /// <summary>Training and test rows together.</summary>
    public int Samples => XTrain.Size(0) + XTest.Size(0);

    /// <summary>The number of input features per row.</summary>
    public int Features => XTrain.Size(1);

    /// <summary>
    /// The built-in digits (1797 8×8 images, scikit-learn's <c>load_digits</c>): pixels scaled to
    /// [0, 1], then a test share split off with each digit keeping its share (stratified), seeded.
    /// </summary>
    /// <exception cref="CommandInputException">The task asked for is regression; the digits are classes.</exception>
    public static TrainingData Digits(TrainSettings settings)
    {
        if (settings.Task == TaskKind.Regression)
            throw new CommandInputException("--task regression does not fit the built-in digits, whose target is a class (0–9); use --task classification or auto.");
        var digits = Datasets.Digits();
        var pixels = digits.Features.To(DType.Float32) / DigitsMaxPixel;
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(pixels, digits.Target, testSize: settings.TestSplit,
            randomState: settings.Seed, stratify: true);
        return new TrainingData(digits.Name, xTrain, yTrain, xTest, yTest, digits.ClassNames!, (1, 8, 8));
    }
}
