using System.Collections.Concurrent;
using System.Diagnostics;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train</c> beyond one process, run as a user runs it: the real <c>mpirun</c> starting the real command on
/// 2, 3 or 4 ranks. A network trained data-parallel equals one process trained with the same global batch (over shared
/// memory and over TCP), bit for bit from one run to the next; a checkpoint resumes on another number of ranks; a killed
/// rank ends the job naming it; ranks started differently are refused; linear models fit their shares of the rows
/// together; and what cannot be shared among ranks is refused with a message naming mpirun.
/// </summary>
[Collection(nameof(MpiJobs))]
public sealed class TrainDistributedTests : TemporaryFolder
{
    private static readonly TimeSpan FaultBound = TimeSpan.FromSeconds(60);

    private static string Cli => RepositoryLayout.CliAssembly;

    /// <summary>The default MLP on the built-in digits for a few epochs, written to <paramref name="model"/>.</summary>
    private static string[] Digits(string model, params string[] options) => ["train", "--epochs", "4", "--out", model, .. options];

    private static ProgramRun OneProcess(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private static ProgramRun Ranks(int ranks, params string[] args) => Succeeded(MpiJob.Run(ranks, args));

    private static ProgramRun Succeeded(ProgramRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        // Under mpirun the command writes plain lines: no terminal codes from any rank.
        Assert.DoesNotContain('\u001b', run.StandardOutput);
        return run;
    }

    [MpiFact]
    public void GlobalBatch_OnTwoAndFourRanks_EqualsOneProcess_AndRepeatsBitForBit()
    {
        string single = PathOf("single.safetensors");
        OneProcess(Digits(single, "--batch-size", "64"));

        var two = Ranks(2, Digits(PathOf("two.safetensors"), "--global-batch", "64"));
        var again = Ranks(2, Digits(PathOf("again.safetensors"), "--global-batch", "64"));
        Ranks(4, Digits(PathOf("four.safetensors"), "--global-batch", "64"));
        Succeeded(MpiJob.Run("tcp,self", [(4, Digits(PathOf("four-tcp.safetensors"), "--global-batch", "64"))]));

        Assert.Equal("Distributed: 2 ranks under mpirun, global batch 64 (32 a rank); gradients averaged by allreduce each step", two.OutputLines[0]);
        Assert.Contains("Optimizer: adam, lr 0.002, global batch 64, 4 epochs", two.OutputLines);
        // Rank 0 alone prints: one summary, one epoch line an epoch.
        Assert.InRange(two.SummaryValue("Test accuracy"), 0.9, 1);
        Assert.Single(two.OutputLines, line => line.StartsWith("epoch 4/4", StringComparison.Ordinal));
        foreach (string model in (string[])["two", "four", "four-tcp"])
            ModelWeights.AssertClose(single, PathOf($"{model}.safetensors"), 1e-5);
        ModelWeights.AssertIdentical(PathOf("two.safetensors"), PathOf("again.safetensors"));
        Assert.Equal(two.SummaryValue("Test accuracy"), again.SummaryValue("Test accuracy"));
    }

    [MpiFact]
    public void TheRunLog_IsWrittenByRankZeroAlone_ItsEpochsOverAllRanks()
    {
        OneProcess(Digits(PathOf("single.safetensors"), "--batch-size", "64", "--run-name", "single", "--log-steps", "5"));
        Ranks(2, Digits(PathOf("two.safetensors"), "--global-batch", "64", "--run-name", "two", "--log-steps", "5"));

        Assert.Equal(["single", "two"], Directory.GetDirectories(PathOf("runs")).Select(Path.GetFileName).Order());
        var single = RunLogReader.Read(Path.Combine(PathOf("runs"), "single", RunLog.FileName));
        var two = RunLogReader.Read(Path.Combine(PathOf("runs"), "two", RunLog.FileName));
        Assert.Equal(RunOutcome.Completed, two.End!.Outcome);
        Assert.Equal(4, two.Epochs.Count);
        // An epoch's losses are reduced over the ranks: those of one process with the same global batch.
        foreach (var (one, both) in single.Epochs.Zip(two.Epochs))
        {
            Assert.Equal(one.Result.Loss, both.Result.Loss, 1e-5);
            Assert.Equal(one.Result.ValidationLoss!.Value, both.Result.ValidationLoss!.Value, 1e-5);
        }
        // The same optimizer steps are logged; their losses are rank 0's share of each batch.
        Assert.NotEmpty(two.Steps);
        Assert.Equal(single.Steps.Select(s => (s.Epoch, s.Step)), two.Steps.Select(s => (s.Epoch, s.Step)));
    }

    [MpiFact]
    public void BatchSize_UnderMpirun_IsEachRanksShare()
    {
        string single = PathOf("single.safetensors"), shared = PathOf("shared.safetensors");
        OneProcess(Digits(single, "--batch-size", "64"));

        var run = Ranks(2, Digits(shared, "--batch-size", "32"));

        Assert.StartsWith("Distributed: 2 ranks under mpirun, global batch 64 (32 a rank)", run.OutputLines[0]);
        Assert.Contains("Optimizer: adam, lr 0.002, global batch 64, 4 epochs", run.OutputLines);
        ModelWeights.AssertClose(single, shared, 1e-5);
    }

    /// <summary>
    /// With SGD and momentum: the linear layers' biases before a batch normalisation have a true gradient of zero, and
    /// Adam scales the rounding noise in theirs up to whole steps, so under Adam no two summation orders stay close.
    /// </summary>
    [MpiFact]
    public void SyncBatchNorm_OnTwoRanks_EqualsOneProcessWithBatchNorm_WhichPerRankBatchNormDoesNot()
    {
        string[] options = ["--optimizer", "momentum", "--lr", "0.05", "--batch-norm"];
        string single = PathOf("single.safetensors"), synchronised = PathOf("synchronised.safetensors"), perRank = PathOf("per-rank.safetensors");
        OneProcess(Digits(single, [.. options, "--batch-size", "64"]));

        var run = Ranks(2, Digits(synchronised, [.. options, "--sync-batch-norm", "--global-batch", "64"]));
        Ranks(2, Digits(perRank, [.. options, "--global-batch", "64"]));

        Assert.EndsWith("; batch norm synchronised over the ranks", run.OutputLines[0]);
        ModelWeights.AssertClose(single, synchronised, 1e-4);
        // Each rank normalising by its own 32 samples is another computation: the comparison can tell them apart.
        Assert.InRange(ModelWeights.RelativeDifferences(single, perRank).Max(tensor => tensor.Difference), 1e-2, double.PositiveInfinity);
    }

    [MpiFact]
    public void ACheckpointOfTwoRanks_ResumesOnFourRanksAndInOneProcess()
    {
        // A checkpoint records the run's epochs, and --resume keeps them: the run is stopped part way, after its second
        // epoch or a little later, with enough epochs left that it is still going when the test stops it.
        string[] run = ["train", "--epochs", "20", "--global-batch", "64", "--quiet"];
        string first = PathOf("first"), onFour = PathOf("four"), onOne = PathOf("one");
        using (var job = MpiJob.StartInBackground(2, _ => { }, _ => { }, [.. run, "--checkpoint-dir", first, "--out", PathOf("first.safetensors")]))
        {
            try
            {
                TrainCheckpointTests.WaitForEpoch(Path.Combine(first, CheckpointCallback.FileName), job, atLeast: 2);
            }
            finally
            {
                // As a scheduler ends a job: mpirun and every rank at once.
                job.Kill(entireProcessTree: true);
                job.WaitForExit();
            }
        }
        var checkpoint = TrainingCheckpoint.Load(Path.Combine(first, CheckpointCallback.FileName));
        Assert.InRange(checkpoint.Epoch, 2, 19);
        Copy(first, onFour);
        Copy(first, onOne);

        var four = MpiJob.Run(4, [.. run, "--checkpoint-dir", onFour, "--resume", "--out", PathOf("four.safetensors")]);
        var one = ProgramRun.Start(Cli, [.. run, "--checkpoint-dir", onOne, "--resume", "--out", PathOf("one.safetensors")]);
        OneProcess([.. run, "--out", PathOf("straight.safetensors")]);

        Assert.True(four.ExitCode == 0, four.ToString());
        Assert.True(one.ExitCode == 0, one.ToString());
        ModelWeights.AssertClose(PathOf("straight.safetensors"), PathOf("four.safetensors"), 1e-5);
        ModelWeights.AssertClose(PathOf("straight.safetensors"), PathOf("one.safetensors"), 1e-5);
        // Each resumed run finished its epochs and left its one checkpoint, with no temporary file beside it.
        foreach (string folder in (string[])[onFour, onOne])
        {
            Assert.Equal([Path.Combine(folder, CheckpointCallback.FileName)], Directory.GetFileSystemEntries(folder));
            Assert.Equal(20, TrainingCheckpoint.Load(Path.Combine(folder, CheckpointCallback.FileName)).Epoch);
        }
    }

    [MpiFact]
    public void ARankKilled_EndsTheJobNamingIt_AndItsCheckpointResumesInOneProcess()
    {
        string checkpoints = PathOf("checkpoints"), checkpoint = Path.Combine(checkpoints, CheckpointCallback.FileName);
        string[] run = ["train", "--epochs", "100", "--global-batch", "64", "--quiet", "--checkpoint-dir", checkpoints, "--out", PathOf("model.safetensors")];
        var output = new ConcurrentQueue<string>();
        using (var job = MpiJob.StartInBackground(2, output.Enqueue, output.Enqueue, run))
        {
            try
            {
                TrainCheckpointTests.WaitForEpoch(checkpoint, job, atLeast: 1);
                using (var rank1 = Process.GetProcessById(MpiJob.RankProcessId(job, 1))) rank1.Kill();
                var clock = Stopwatch.StartNew();
                Assert.True(job.WaitForExit(FaultBound), $"mpirun did not end within {FaultBound.TotalSeconds} s of rank 1's death");
                job.WaitForExit();
                Assert.True(job.ExitCode != 0, $"exit code {job.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s");
            }
            finally
            {
                if (!job.HasExited) job.Kill(entireProcessTree: true);
            }
        }
        Assert.Contains(output, line => line.Contains("rank 1", StringComparison.Ordinal));
        Assert.False(File.Exists(PathOf("model.safetensors")));
        int killedAt = TrainingCheckpoint.Load(checkpoint).Epoch;
        Assert.InRange(killedAt, 1, 99);

        var resumed = ProgramRun.Start(Cli, [.. run, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(File.Exists(PathOf("model.safetensors")));
        Assert.Equal(100, TrainingCheckpoint.Load(checkpoint).Epoch);
        Assert.Equal([checkpoint], Directory.GetFileSystemEntries(checkpoints));
    }

    [MpiFact]
    public void RanksStartedWithOtherOptions_AreRefusedOnceNamingTheRankAndBoth()
    {
        string model = PathOf("model.safetensors");
        string[] three = ["train", "--epochs", "3", "--out", model], four = ["train", "--epochs", "4", "--out", model];

        var run = MpiJob.Run(transport: null, [(1, three), (1, four)]);

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.OutputLines.Concat(run.ErrorLines), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("rank 1 of 2 was started with other options than rank 0", line);
        Assert.Contains($"'{string.Join(' ', four)}' against '{string.Join(' ', three)}'", line);
        Assert.False(File.Exists(model));
    }

    [MpiFact]
    public void AFailureOnTheRanks_EndsTheJobPromptly_WithAnErrorLine()
    {
        string missing = PathOf("missing.csv");
        var clock = Stopwatch.StartNew();

        var run = MpiJob.Run(2, "train", "--data", missing, "--out", PathOf("model.safetensors"));

        Assert.True(clock.Elapsed < FaultBound, $"the job took {clock.Elapsed.TotalSeconds:F1} s to end");
        Assert.True(run.ExitCode == 1, run.ToString());
        string[] errors = [.. run.ErrorLines.Where(l => l.StartsWith("error:", StringComparison.Ordinal))];
        Assert.NotEmpty(errors);
        Assert.All(errors, line => Assert.Matches($"^error: rank [01] of 2: --data '{System.Text.RegularExpressions.Regex.Escape(missing)}': there is no such file or folder", line));
    }

    [MpiFact]
    public void Logistic_OnThreeRanks_EqualsOneProcess()
    {
        string[] fit = ["train", "--data", SharedData.PathOf("breast_cancer.csv"), "--model", "logistic"];
        var single = OneProcess([.. fit, "--out", PathOf("single.safetensors")]);

        var shared = Ranks(3, [.. fit, "--out", PathOf("shared.safetensors")]);

        Assert.Equal("Distributed: 3 ranks under mpirun, each fitting on its own share of the training rows", shared.OutputLines[0]);
        Assert.Contains(shared.OutputLines, line => line.StartsWith("Solver:    lbfgs over 3 ranks", StringComparison.Ordinal));
        ModelWeights.AssertClose(PathOf("single.safetensors"), PathOf("shared.safetensors"), 1e-6);
        Assert.Equal(single.SummaryValue("Test accuracy"), shared.SummaryValue("Test accuracy"));
    }

    [MpiFact]
    public void Ridge_OnThreeRanks_EqualsOneProcess()
    {
        string[] fit = ["train", "--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--model", "ridge"];
        OneProcess([.. fit, "--out", PathOf("single.safetensors")]);

        var shared = Ranks(3, [.. fit, "--out", PathOf("shared.safetensors")]);

        Assert.Contains(shared.OutputLines, line => line.StartsWith("Solver:    exact least squares (tall-skinny QR over 3 ranks)", StringComparison.Ordinal));
        ModelWeights.AssertClose(PathOf("single.safetensors"), PathOf("shared.safetensors"), 1e-10);
    }

    [MpiFact]
    public void WhatTrainsInOneProcessOnly_IsRefusedUnderMpirun()
    {
        string data = SharedData.PathOf("breast_cancer.csv"), model = PathOf("model.safetensors");

        AssertRefused(MpiJob.Run(2, "train", "--data", data, "--model", "svm", "--out", model), "--model svm fits in one process");
        AssertRefused(MpiJob.Run(2, "train", "--data", SharedData.PathOf("diabetes.csv"), "--model", "mf", "--user", "age", "--item", "sex", "--rating", "progression", "--out", model),
            "--model mf trains in one process");
        AssertRefused(MpiJob.Run(2, "train", "--optimizer", "lbfgs", "--out", model), "--optimizer lbfgs does not train under mpirun (2 ranks)");
        AssertRefused(MpiJob.Run(2, "train", "--find-lr"), "--find-lr does not run under mpirun (2 ranks)");
        Assert.False(File.Exists(model));
    }

    [Theory]
    [InlineData("--clients 3", 2, "--clients needs --federated")]
    [InlineData("--global-batch 64 --batch-size 32", 2, "--batch-size and --global-batch both set the batch")]
    [InlineData("--sync-batch-norm", 1, "--sync-batch-norm synchronises the batch normalisation that --batch-norm adds")]
    public void OptionsThatDoNotFit_AreRefused(string options, int exitCode, string message) =>
        AssertRefused(ProgramRun.Start(Cli, ["train", "--out", PathOf("model.safetensors"), .. options.Split(' ')]), message, exitCode);

    /// <summary>Asserts the run failed with <paramref name="exitCode"/>, every error line saying <paramref name="message"/>, and wrote no model.</summary>
    internal static void AssertRefused(ProgramRun run, string message, int exitCode = 1)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        string[] errors = [.. run.ErrorLines.Where(l => l.StartsWith("error:", StringComparison.Ordinal))];
        Assert.NotEmpty(errors);
        Assert.All(errors, line => Assert.Contains(message, line));
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
