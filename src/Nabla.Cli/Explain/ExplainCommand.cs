using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Explain;
using Nabla.Models;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla explain --model FILE --data PATH</c>: which features made a saved model predict what it did. For chosen rows, a
/// gradient method of the library (integrated gradients, with its error bound and completeness check; saliency; SmoothGrad)
/// attributes the output of the predicted (or a given) class to the prepared features; over all the rows, permutation
/// importance measures how much the model's score drops when each feature is shuffled. Rows are prepared exactly as
/// <c>nabla predict</c> prepares them (<see cref="ModelPipeline.ReadRows"/>).
/// </summary>
internal static class ExplainCommand
{
    private const ExplainMethod DefaultMethod = ExplainMethod.IntegratedGradients;

    public static Command Create(Option<bool> verbose)
    {
        var options = new ModelDataOptions(
            "The rows to explain: a CSV file with the model's feature columns (by name), or IDX images (a folder, whose t10k-images-idx3-ubyte[.gz] "
            + "is read, or an images file); for --method permutation it must also hold the targets (the target column, or the labels).",
            "Print one JSON object with the attributions (or importances) instead of text.");
        var method = new Option<string>("--method")
        {
            Description = "ig: integrated gradients (with an error bound and the completeness check); saliency: the gradient; smoothgrad: the gradient "
                + "averaged over noisy copies; permutation: the score's drop when each feature is shuffled, over all the rows.",
            HelpName = ExplainMethods.Choices.Help,
            DefaultValueFactory = _ => ExplainMethods.Choices.WordOf(DefaultMethod),
        };
        var rows = new Option<string?>("--rows")
        {
            Description = $"The 0-based rows of --data to explain: a comma list with ranges, such as 0,5,10-19 (default: the first {RowList.DefaultCount}).",
            HelpName = "LIST",
        };
        var top = new Option<int>("--top")
        {
            Description = "How many features to show per row, the largest attributions by magnitude first; 0 shows every one.",
            HelpName = "N",
            CustomParser = InvariantNumber.ParseWhole<int>,
            DefaultValueFactory = _ => 10,
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Integrated gradients' reference input: zero (the default; for standardised features, their training average), mean (the mean of the rows of --data), "
                + "or a row number of --data.",
            HelpName = "zero|mean|ROW",
        };
        var target = new Option<string?>("--target")
        {
            Description = "The class whose output to explain, by its label (default: each row's predicted class).",
            HelpName = "CLASS",
        };
        var plot = new Option<string?>("--plot")
        {
            Description = $"Draw the attributions to this PNG file: a heat map over the image for an image model, a bar chart of the top features "
                + $"otherwise; at most {AttributionPlot.MaxRows} rows.",
            HelpName = "PATH",
        };
        var repeats = new Option<int>("--repeats")
        {
            Description = "--method permutation: how many times each feature is shuffled.",
            HelpName = "N",
            CustomParser = InvariantNumber.ParseWhole<int>,
            DefaultValueFactory = _ => 5,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seeds the shuffles of --method permutation and the noise of --method smoothgrad.",
            CustomParser = InvariantNumber.ParseWhole<ulong>,
            DefaultValueFactory = _ => 0UL,
        };
        var command = new Command("explain",
            "Explain a model file's predictions: which features made each row's prediction (integrated gradients, saliency, SmoothGrad), "
            + "or how much the model relies on each feature (permutation importance).");
        options.AddTo(command);
        foreach (var option in new Option[] { method, rows, top, baseline, target, plot, repeats, seed }) command.Options.Add(option);
        var memoryLimit = MemoryLimitOption.ForPrediction();
        command.Options.Add(memoryLimit);

        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            var chosen = ExplainMethods.Choices.Parse("--method", parse.GetValue(method)!);
            // Options that only one kind of method reads, and why the others do not.
            (Option Option, bool Applies, string Why)[] specific =
            [
                (rows, chosen != ExplainMethod.Permutation, "it scores the model over every row of --data"),
                (target, chosen != ExplainMethod.Permutation, "it scores the model over every row of --data"),
                (baseline, chosen == ExplainMethod.IntegratedGradients, "only integrated gradients measures from a baseline"),
                (repeats, chosen == ExplainMethod.Permutation, "only permutation importance repeats its shuffles"),
                (seed, chosen is ExplainMethod.Permutation or ExplainMethod.SmoothGrad, "it draws nothing at random"),
            ];
            foreach (var (option, applies, why) in specific)
                if (!applies && parse.GetResult(option) is { Implicit: false })
                    throw new CommandInputException($"{option.Name} does not apply to --method {ExplainMethods.Choices.WordOf(chosen)}: {why}; leave it out.");
            var request = new ExplainRequest(parse.GetValue(options.Model)!, parse.GetValue(options.Data)!, chosen, parse.GetValue(rows), parse.GetValue(top),
                parse.GetValue(baseline), parse.GetValue(target), parse.GetValue(plot), parse.GetValue(repeats), parse.GetValue(seed), parse.GetValue(options.Json));
            return Execute(request, parse.GetValue(memoryLimit)!, pipeline => options.ReadLimits(parse, pipeline));
        }));
        return command;
    }

    private static int Execute(ExplainRequest request, MemoryLimit memoryLimit, Func<ModelPipeline, CsvLimits> csvLimits)
    {
        if (request.Top < 0) throw new CommandInputException($"--top must be 0 (every feature) or more, not {request.Top}.");
        if (request.Repeats < 1) throw new CommandInputException($"--repeats must be at least 1, not {request.Repeats}.");
        if (request.Plot is not null) OutputPath.Check("--plot", request.Plot);
        var pipeline = ModelPipeline.Load(request.ModelPath);
        pipeline.Model.MemoryLimit = memoryLimit;
        if (pipeline.Preprocessor is RatingsPreprocessor)
            throw new CommandInputException($"--model '{request.ModelPath}' is a recommender: it scores (user, item) pairs and has no features to explain.", ExitCodes.Usage);
        return request.Method == ExplainMethod.Permutation ? Permutation(request, pipeline, csvLimits(pipeline)) : Gradients(request, pipeline, csvLimits(pipeline));
    }

    private static int Permutation(ExplainRequest request, ModelPipeline pipeline, CsvLimits limits)
    {
        var rows = pipeline.ReadRows(request.DataPath, withTargets: true, limits);
        var layout = InputLayout.Of(pipeline);
        var result = PermutationRun.Compute(pipeline, rows, request.Repeats, request.Seed);
        var task = pipeline.Model.Task;
        int[] shown = PermutationRun.Order(result, request.Top);
        if (request.Plot is not null)
            PlotWritten(request, AttributionPlot.WriteBars(request.Plot, $"Permutation importance ({PermutationRun.Metric(task)} drop)", result.ImportancesMean, layout.Names, shown));
        if (request.Json)
            CommandOutput.WriteJson(PermutationRun.Json(request.ModelPath, request.DataPath, task, request.Repeats, request.Seed, result, layout.Names, request.Top));
        else
            PermutationRun.WriteText(request.ModelPath, request.DataPath, rows.Inputs.Size(0), task, request.Repeats, request.Seed, result, layout.Names, request.Top);
        return ExitCodes.Success;
    }

    private static int Gradients(ExplainRequest request, ModelPipeline pipeline, CsvLimits limits)
    {
        if (DifferentiableModel.TokensOf(pipeline.Model) is { } tokens) return Tokens(request, pipeline, tokens, limits);
        string word = ExplainMethods.Choices.WordOf(request.Method);
        var model = DifferentiableModel.Of(pipeline.Model) ?? throw new CommandInputException(
            $"--method {word} needs the gradient of the model's output, but --model '{request.ModelPath}' is {NotDifferentiable(pipeline.Model)}; "
            + "use --method permutation, which works for every model.", ExitCodes.Usage);
        int? target = TargetIndex(request.Target, pipeline.Model, request.ModelPath);
        var inputs = pipeline.ReadRows(request.DataPath, withTargets: false, limits).Inputs;
        int count = inputs.Size(0);
        int[] rows = ChosenRows(request, count);
        var (baseline, baselineText) = ReadBaseline(request.Baseline, inputs, request.DataPath);
        // A regression model's output is the standardised target; in the target's units the attributions share out the predicted value itself.
        if (pipeline.Preprocessor is TabularPreprocessor { Task: ModelTask.Regression } tabular)
        {
            var standardised = model;
            model = x => standardised(x) * tabular.TargetScale + tabular.TargetMean;
        }
        var explanations = RowAttributions.Compute(request.Method, model, pipeline, inputs, rows, target, baseline, request.Seed);
        var layout = InputLayout.Of(pipeline);
        if (request.Plot is not null) PlotWritten(request, AttributionPlot.WriteRows(request.Plot, explanations, layout, request.Top));
        if (request.Json)
            CommandOutput.WriteJson(ExplainOutput.Json(word, request.ModelPath, request.DataPath,
                request.Method == ExplainMethod.IntegratedGradients ? baselineText : null, explanations, layout.Names, request.Top));
        else
            ExplainOutput.WriteText([.. Header(request, pipeline.Model, count, baselineText), ExplainOutput.FeaturesNote("Attributions")], explanations, layout.Names, request.Top);
        return ExitCodes.Success;
    }

    /// <summary>Integrated gradients or saliency of a text model, per token of each row: over the token vectors, or exactly over the TF-IDF vector.</summary>
    private static int Tokens(ExplainRequest request, ModelPipeline pipeline, TokenAttributor tokens, CsvLimits limits)
    {
        string word = ExplainMethods.Choices.WordOf(request.Method);
        if (request.Method == ExplainMethod.SmoothGrad)
            throw new CommandInputException($"--method smoothgrad adds noise to the inputs, but --model '{request.ModelPath}' is a text model, whose inputs are token ids; "
                + "use --method ig or saliency (attributions per token), or permutation.", ExitCodes.Usage);
        if (request.Baseline is not null)
            throw new CommandInputException($"--baseline does not apply to a text model such as --model '{request.ModelPath}': integrated gradients measures "
                + "from the text of padding only (an empty text); leave it out.");
        int? target = TargetIndex(request.Target, pipeline.Model, request.ModelPath);
        var inputs = pipeline.ReadRows(request.DataPath, withTargets: false, limits).Inputs;
        int count = inputs.Size(0);
        int[] rows = ChosenRows(request, count);
        var vocabulary = ((TextPreprocessor)pipeline.Preprocessor).Vocabulary;
        var explanations = TokenRowAttributions.Compute(request.Method, tokens, pipeline, vocabulary, inputs, rows, target);
        var layout = InputLayout.Of(pipeline);
        if (request.Plot is not null) PlotWritten(request, AttributionPlot.WriteRows(request.Plot, explanations, layout, request.Top));
        if (request.Json)
            CommandOutput.WriteJson(ExplainOutput.Json(word, request.ModelPath, request.DataPath,
                request.Method == ExplainMethod.IntegratedGradients ? "padding" : null, explanations, layout.Names, request.Top));
        else
            ExplainOutput.WriteText([.. Header(request, pipeline.Model, count, "padding"), ExplainOutput.TokensNote], explanations, layout.Names, request.Top);
        return ExitCodes.Success;
    }

    /// <summary>The rows <c>--rows</c> names, no more than a plot can draw when <c>--plot</c> is given.</summary>
    private static int[] ChosenRows(ExplainRequest request, int count)
    {
        int[] rows = RowList.Parse(request.Rows, count, request.DataPath);
        if (request.Plot is not null && rows.Length > AttributionPlot.MaxRows)
            throw new CommandInputException($"--plot draws at most {AttributionPlot.MaxRows} rows (a 4 × 4 grid), but --rows names {rows.Length}; name fewer rows, or leave --plot out.");
        return rows;
    }

    /// <summary>Why a model has no gradient to attribute, as the end of a sentence.</summary>
    private static string NotDifferentiable(ModelFile model) => model.Architecture is { ReadsTokenIds: true }
        ? "a text network: its inputs are token ids, whole numbers with no gradient"
        : $"a {model.Kind} estimator, which is not differentiated here";

    /// <summary>The index of the class <paramref name="label"/> names; null when none was given.</summary>
    private static int? TargetIndex(string? label, ModelFile model, string modelPath)
    {
        if (label is null) return null;
        if (model.Classes is not { } classes)
            throw new CommandInputException($"--target names a class, but --model '{modelPath}' is a regression model with one output to explain; leave --target out.");
        int index = classes.ToList().IndexOf(label);
        return index >= 0 ? index : throw new CommandInputException($"--target '{label}' is not a class of --model '{modelPath}'; its classes are {string.Join(", ", classes)}.");
    }

    /// <summary>The baseline <c>--baseline</c> names, and how to describe it.</summary>
    private static (Baseline Baseline, string Text) ReadBaseline(string? text, Tensor inputs, string dataPath)
    {
        string word = text?.Trim() ?? "zero";
        if (word.Equals("zero", StringComparison.OrdinalIgnoreCase)) return (Baseline.Zero, "zero");
        if (word.Equals("mean", StringComparison.OrdinalIgnoreCase)) return (Baseline.TrainingMean(inputs), "mean");
        if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int row))
            throw new CommandInputException($"--baseline must be zero, mean or a row number of --data; got '{text}'.");
        int count = inputs.Size(0);
        if (row >= count)
            throw new CommandInputException($"--baseline: row {row} is out of range: {dataPath} has {count} rows, numbered 0 to {count - 1}.");
        return (Baseline.Row(inputs.Slice(0, row, 1)), $"row {row}");
    }

    private static IEnumerable<string> Header(ExplainRequest request, ModelFile model, int count, string baseline)
    {
        yield return $"Model: {request.ModelPath} ({ModelText.TaskName(model.Task)}); data: {request.DataPath}, {count.ToString(CultureInfo.InvariantCulture)} rows";
        yield return request.Method switch
        {
            ExplainMethod.IntegratedGradients when baseline == "padding" => "Method: integrated gradients from the text of padding only, over the token vectors "
                + $"(by adaptive Gauss–Kronrod quadrature to {CommandOutput.Brief(RowAttributions.Tolerance)} per row), or exact for a linear TF-IDF model",
            ExplainMethod.IntegratedGradients => $"Method: integrated gradients from the {(baseline == "mean" ? "mean of the rows" : baseline)} baseline, "
                + $"by adaptive Gauss–Kronrod quadrature to {CommandOutput.Brief(RowAttributions.Tolerance)} per row",
            ExplainMethod.Saliency when baseline == "padding" => "Method: saliency per token, the gradient of the explained output times the token's vector (or TF-IDF weight)",
            ExplainMethod.Saliency => "Method: saliency, the gradient of the explained output",
            _ => $"Method: SmoothGrad, the gradient averaged over noisy copies of each row (seed {request.Seed.ToString(CultureInfo.InvariantCulture)})",
        };
        yield return "Explained output: " + (model.Task == ModelTask.Regression ? "the predicted value, in the target's units"
            : model.Network is not null ? "the class's score before softmax (its logit)"
            : "the class's decision function (for two classes, the second class's and its negation for the first)");
    }

    private static void PlotWritten(ExplainRequest request, string path)
    {
        if (!request.Json) TerminalWriter.Out.WriteLine($"Plot saved to: {path}");
    }
}
