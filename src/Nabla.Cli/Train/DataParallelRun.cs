using System.Globalization;
using Nabla.Distributed;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>
/// How <c>nabla train</c> trains a network on the ranks of an mpirun job: the global batch (ranks × <c>--batch-size</c>, or
/// <c>--global-batch</c>), the network it trains (with <see cref="SyncBatchNorm"/> in place of each batch normalisation for
/// <c>--sync-batch-norm</c>), and the line that says so. In one process none of this changes anything.
/// </summary>
internal static class DataParallelRun
{
    /// <summary>The samples of one step over all the ranks; null (the whole training set, for lbfgs) in one process.</summary>
    /// <exception cref="CommandInputException">The run cannot be shared among the ranks: lbfgs, the learning-rate finder, or a global batch smaller than the ranks.</exception>
    public static int? GlobalBatch(TrainSettings settings, Communicator communicator)
    {
        if (communicator.Size == 1) return settings.BatchSize;
        string where = $"under mpirun ({communicator.Size} ranks)";
        if (settings.Optimizer == OptimizerKind.Lbfgs)
            throw new CommandInputException($"--optimizer lbfgs does not train {where}: its line search evaluates the loss many times a step; use adam, sgd or momentum, or run without mpirun.");
        if (settings.FindLearningRate != LearningRateSearchMode.None)
            throw new CommandInputException($"{(settings.FindLearningRate == LearningRateSearchMode.FindOnly ? "--find-lr" : "--lr auto")} does not run {where}: search for the rate in one process (nabla train --find-lr), then give it with --lr.");
        int batch = settings.BatchSize!.Value;
        long global = settings.BatchIsGlobal ? batch : (long)batch * communicator.Size;
        if (global < communicator.Size)
            throw new CommandInputException($"--global-batch {global} is smaller than the {communicator.Size} ranks: each rank needs at least one sample a step; give at least {communicator.Size}.");
        if (global > int.MaxValue)
            throw new CommandInputException($"--batch-size {batch} on {communicator.Size} ranks makes a global batch of {global:N0} samples, more than a step can hold; give a smaller --batch-size.");
        return (int)global;
    }

    /// <summary>"Distributed: 4 ranks under mpirun, global batch 128 (32 a rank); gradients averaged by allreduce each step".</summary>
    public static string Describe(TrainSettings settings, int globalBatch, Communicator communicator)
    {
        int share = globalBatch / communicator.Size, extra = globalBatch % communicator.Size;
        string shares = extra == 0 ? $"{share} a rank" : $"{share} or {share + 1} a rank";
        string batchNorm = settings.BatchNorm ? settings.SyncBatchNorm ? "; batch norm synchronised over the ranks" : "; batch norm per rank" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Distributed: {communicator.Size} ranks under mpirun, global batch {globalBatch} ({shares}); gradients averaged by allreduce each step{batchNorm}");
    }

    /// <summary>
    /// The network the trainer steps: <paramref name="network"/> itself, or for <c>--sync-batch-norm</c> a copy of its list of
    /// layers with each batch normalisation replaced by a <see cref="SyncBatchNorm"/> (the other layers shared), whose state
    /// <see cref="CopyBack"/> returns to the original layers before the model file is written.
    /// </summary>
    public static Sequential TrainingNetwork(Sequential network, TrainSettings settings, Communicator communicator)
    {
        if (!settings.SyncBatchNorm || communicator.Size == 1) return network;
        return new Sequential(network.Select(layer => layer is BatchNorm batchNorm ? SyncBatchNorm.From(batchNorm, communicator) : layer));
    }

    /// <summary>Puts the trained state of <paramref name="trained"/>'s synchronised layers into <paramref name="network"/>'s own.</summary>
    public static void CopyBack(Sequential trained, Sequential network)
    {
        if (ReferenceEquals(trained, network)) return;
        for (int i = 0; i < network.Count; i++)
            if (trained[i] is SyncBatchNorm synchronised)
                network[i].LoadStateDict(synchronised.StateDict());
    }
}
