using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>The words of <c>nabla train</c>'s choice options and the library values they stand for.</summary>
internal static class TrainChoices
{
    /// <summary><c>--model</c>.</summary>
    public static readonly OptionChoices<ModelKind> Model = OptionChoices.ForEnum<ModelKind>();

    /// <summary><c>--task</c>: auto (null) leaves the choice to the data.</summary>
    public static readonly OptionChoices<ModelTask?> Task = new(
        ("auto", null), ("classification", ModelTask.Classification), ("regression", ModelTask.Regression));

    /// <summary><c>--activation</c>: listed one by one, so that an activation the library adds is offered only once the command is ready for it.</summary>
    public static readonly OptionChoices<Activation> Activation = new(
        ("relu", NN.Activation.Relu), ("tanh", NN.Activation.Tanh), ("sigmoid", NN.Activation.Sigmoid),
        ("gelu", NN.Activation.Gelu), ("leaky_relu", NN.Activation.LeakyRelu));

    /// <summary><c>--optimizer</c>.</summary>
    public static readonly OptionChoices<OptimizerKind> Optimizer = OptionChoices.ForEnum<OptimizerKind>();

    /// <summary><c>--lr-schedule</c>.</summary>
    public static readonly OptionChoices<LearningRateScheduleKind> Schedule = new(
        ("step", LearningRateScheduleKind.Step), ("multistep", LearningRateScheduleKind.Multistep),
        ("exponential", LearningRateScheduleKind.Exponential), ("cosine", LearningRateScheduleKind.Cosine),
        ("cosine-restarts", LearningRateScheduleKind.CosineRestarts), ("onecycle", LearningRateScheduleKind.Onecycle),
        ("plateau", LearningRateScheduleKind.Plateau));

    /// <summary><c>--impute</c>: none makes a missing cell an error, mean fills it from the training rows.</summary>
    public static readonly OptionChoices<MissingValuePolicy> Impute = new(("none", MissingValuePolicy.Error), ("mean", MissingValuePolicy.ImputeMean));
}
