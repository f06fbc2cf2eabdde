using System.Diagnostics;
using System.Globalization;
using Nabla.Distributed;
using Nabla.Losses;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

/// <summary>
/// The workload of the PyTorch DistributedDataParallel anchor (<c>ddp_anchors.py</c>): the MLP 784-256-128-10 on
/// Fashion-MNIST, Adam lr 1e-3, cross-entropy, global batch 128 (the last partial batch dropped, as the anchor's
/// loop does), through the library's <see cref="Trainer"/> with <see cref="DistributedDataParallel"/> when run under
/// mpirun; in one process, the same loop without it. Rank 0 prints the training samples per second of the whole job.
/// </summary>
/// <remarks>
/// Run with <c>mpirun -np 2 dotnet Nabla.Bench.dll ddp [--quick] [--epochs E]</c> (or without mpirun for one process;
/// <c>NABLA_NUM_THREADS</c> sets each process's threads). Each epoch is timed between barriers; the figure is the best
/// epoch after the first, which carries the JIT's warm-up (the anchor times its one epoch whole: its first epoch is
/// also reported). <c>--quick</c> takes the first 6,400 samples, as the anchor's.
/// </remarks>
internal static class DataParallelComparison
{
    /// <summary>Runs the workload and prints one JSON line on rank 0.</summary>
    public static void Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int epochs = 3;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--epochs" && i + 1 < args.Length) epochs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] is not ("--quick" or "--json")) throw new ArgumentException($"ddp: unknown argument '{args[i]}'; expected --quick, --json or --epochs E.");
        }
        if (epochs < 2) throw new ArgumentException("ddp: --epochs must be at least 2: the first epoch is the warm-up.");
        using var comm = Communicator.FromEnvironment();
        int samples = quick ? 6400 : 60000;
        const int GlobalBatch = 128;
        var data = FashionMnist.Load(null);
        var x = data.TrainImages.Slice(0, 0, samples);
        var y = data.TrainLabels.Slice(0, 0, samples);
        var model = TrainingWorkload.Mlp(data).NewModel(seed: 0);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), learningRate: 1e-3)) { SetGradientsToNone = false };
        if (comm.Size > 1) _ = new DistributedDataParallel(trainer, comm);
        var clock = new EpochClock(comm);
        trainer.Callbacks.Add(clock);
        var loader = new DataLoader(x, y, GlobalBatch, shuffle: true, dropLast: true, generator: new Generator(0));
        trainer.Fit(loader, epochs);
        if (!comm.IsRoot) return;
        int trained = samples / GlobalBatch * GlobalBatch;
        double best = clock.Seconds.Skip(1).Min();
        string threads = Environment.GetEnvironmentVariable("NABLA_NUM_THREADS") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"ranks\":{comm.Size},\"threads_per_rank\":{threads},\"global_batch\":{GlobalBatch},\"samples\":{trained},\"samples_per_s\":{trained / best:F0},\"first_epoch_samples_per_s\":{trained / clock.Seconds[0]:F0},\"final_loss\":{trainer.History.Epochs[^1].Loss:F4}}}"));
    }

    /// <summary>Each epoch's seconds between barriers, so the figure is the whole job's, not one rank's.</summary>
    private sealed class EpochClock(Communicator comm) : ITrainingCallback
    {
        private long _start;

        public List<double> Seconds { get; } = [];

        public void OnEpochBegin(Trainer trainer)
        {
            comm.Barrier();
            _start = Stopwatch.GetTimestamp();
        }

        public void OnEpochEnd(Trainer trainer, EpochResult epoch)
        {
            comm.Barrier();
            Seconds.Add(Stopwatch.GetElapsedTime(_start).TotalSeconds);
        }
    }
}
