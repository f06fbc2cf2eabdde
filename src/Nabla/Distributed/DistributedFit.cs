using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Distributed;

/// <summary>
/// Fits estimators on data spread over the ranks of a <see cref="Communicator"/>: each rank passes
/// only its own rows, and every rank gets back the same fitted estimator, the one a fit on all the
/// rows in one process gives. The result is an ordinary estimator: it predicts, scores and saves
/// as any other.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="LinearRegression"/> and <see cref="Ridge"/>: each rank factors its block [X Y] (centred
/// by the means of all the rows, reduced first) into a small triangle, the triangles are gathered
/// and merged in rank order, the same on every rank, and the penalty rows √α·I are added once
/// (a tall-skinny QR across ranks). Two exchanges: one allreduce of F + T + 1 numbers, one allgather
/// of a (F + T)² triangle.
/// </para>
/// <para>
/// <see cref="LogisticRegression"/>: the classes are gathered, then L-BFGS runs on every rank with
/// each evaluation's loss and gradient summed by one allreduce; the ranks take the same steps and
/// stop at the same iteration. The coefficients equal the single-process fit's within the
/// solver's tolerance (the sums are taken in another order).
/// </para>
/// <para>
/// <see cref="StandardScaler"/>: each rank's counts, means and sums of squared deviations are
/// gathered and merged in rank order by Chan, Golub and LeVeque's rule (exact, not streaming).
/// </para>
/// <para>
/// A rank may hold no rows; all of them together must hold at least one, and every rank must give
/// the same number of features (and targets), checked at the start with a clear message. Every
/// rank must make the same calls in the same order, as for any collective.
/// </para>
/// <code>
/// using var comm = ...;   // under mpirun, the Open MPI communicator; in tests, ThreadGroupCommunicator.Run
/// var (x, y) = RowsOfThisRank(comm.Rank, comm.Size);
/// var scaler = new StandardScaler().Fit(comm, x);
/// var model = new Ridge(alpha: 1).Fit(comm, scaler.Transform(x), y);
/// if (comm.IsRoot) ModelFile.Save(model, "ridge.safetensors");
/// </code>
/// </remarks>
public static class DistributedFit
{
    /// <summary>Fits ordinary least squares on the rows of all the ranks, this rank giving its own.</summary>
    /// <param name="model">The estimator, with its settings.</param>
    /// <param name="comm">The ranks that hold the rows.</param>
    /// <param name="x">This rank's samples (N_r, F); N_r may be 0.</param>
    /// <param name="y">This rank's targets (N_r) or (N_r, T).</param>
    /// <returns><paramref name="model"/>, fitted, the same on every rank.</returns>
    /// <exception cref="ArgumentException">The ranks hold no rows in all, or a value is NaN or infinite.</exception>
    /// <exception cref="InvalidDataException">The ranks disagree on the number of features or targets.</exception>
    public static LinearRegression Fit(this LinearRegression model, Communicator comm, FeatureMatrix x, RegressionTargets y) => FitLinear(model, comm, x, y);

    /// <summary>Fits ridge regression on the rows of all the ranks, this rank giving its own; the penalty counts once, not once a rank.</summary>
    /// <inheritdoc cref="Fit(LinearRegression, Communicator, FeatureMatrix, RegressionTargets)"/>
    public static Ridge Fit(this Ridge model, Communicator comm, FeatureMatrix x, RegressionTargets y) => FitLinear(model, comm, x, y);

    /// <summary>Fits logistic regression on the samples and labels of all the ranks, this rank giving its own; the classes are those of all the ranks.</summary>
    /// <param name="model">The estimator, with its settings.</param>
    /// <param name="comm">The ranks that hold the rows.</param>
    /// <param name="x">This rank's samples (N_r, F); N_r may be 0.</param>
    /// <param name="y">This rank's labels (N_r), of a type System.Text.Json writes and reads back (numbers, strings, enums, …).</param>
    /// <returns><paramref name="model"/>, fitted, the same on every rank.</returns>
    /// <exception cref="ArgumentException">The ranks hold no rows or fewer than two classes in all, or a value is NaN or infinite.</exception>
    /// <exception cref="InvalidDataException">The ranks disagree on the number of features.</exception>
    public static LogisticRegression Fit<TLabel>(this LogisticRegression model, Communicator comm, FeatureMatrix x, TLabel[] y) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(y);
        var design = CheckedBlock(comm, x, targets: 0, nameof(LogisticRegression));
        return model.FitBlock(design, y, ClassesOfAllRanks(comm, y), new CommunicatorBlocks(comm));
    }

    /// <summary>Fits the scaler's means and variances on the rows of all the ranks, this rank giving its own; NaN values are skipped as in a single-process fit.</summary>
    /// <param name="scaler">The scaler, with its settings; its earlier fit, if any, is forgotten.</param>
    /// <param name="comm">The ranks that hold the rows.</param>
    /// <param name="x">This rank's samples (N_r, F); N_r may be 0.</param>
    /// <returns>A scaler with <paramref name="scaler"/>'s settings, fitted, the same on every rank.</returns>
    /// <exception cref="ArgumentException">The ranks hold no rows in all.</exception>
    /// <exception cref="InvalidDataException">The ranks disagree on the number of features.</exception>
    public static StandardScaler Fit(this StandardScaler scaler, Communicator comm, FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(comm);
        var design = x.Read(nameof(StandardScaler) + ".Fit");
        CheckShapes(comm, design.Rows, design.Columns, targets: 0, nameof(StandardScaler));
        var blocks = new CommunicatorBlocks(comm).Gather(StandardScaler.BlockMoments(design));
        return StandardScaler.FromBlockMoments(scaler.WithMean, scaler.WithStd, design.Columns, blocks);
    }

    private static TModel FitLinear<TModel>(TModel model, Communicator comm, FeatureMatrix x, RegressionTargets y) where TModel : LinearRegressor<TModel>
    {
        ArgumentNullException.ThrowIfNull(model);
        string name = typeof(TModel).Name;
        var design = x.ToDesign(name + ".Fit", allowNoRows: true);
        var targets = y.ToTargets(design.Rows, name + ".Fit");
        CheckShapes(comm, design.Rows, design.Columns, targets.Columns, name);
        return model.FitBlock(design, targets, new CommunicatorBlocks(comm));
    }

    /// <summary>This rank's samples, checked to be finite and of the same width as every other rank's.</summary>
    private static DesignMatrix CheckedBlock(Communicator comm, FeatureMatrix x, int targets, string name)
    {
        var design = x.ToDesign(name + ".Fit", allowNoRows: true);
        CheckShapes(comm, design.Rows, design.Columns, targets, name);
        return design;
    }

    /// <summary>Throws on every rank, with the same message, unless all the ranks give the same numbers of features and targets and hold at least one row in all.</summary>
    private static void CheckShapes(Communicator comm, int rows, int features, int targets, string name)
    {
        ArgumentNullException.ThrowIfNull(comm);
        // Largest and (negated) smallest widths, and the total rows, from one exchange each way.
        Span<long> widest = [features, targets, -features, -targets];
        comm.AllReduce(widest, ReduceOperation.Max);
        Span<long> total = [rows];
        comm.AllReduce(total, ReduceOperation.Sum);
        if (widest[0] != -widest[2])
            throw new InvalidDataException($"{name}.Fit across {comm.Size} ranks: the ranks' samples have from {-widest[2]} to {widest[0]} features (rank {comm.Rank} has {features}); every rank must give the same features.");
        if (widest[1] != -widest[3])
            throw new InvalidDataException($"{name}.Fit across {comm.Size} ranks: the ranks' targets have from {-widest[3]} to {widest[1]} columns (rank {comm.Rank} has {targets}); every rank must give the same targets.");
        if (total[0] == 0)
            throw new ArgumentException($"{name}.Fit across {comm.Size} ranks: no rank holds a sample; at least one row is needed in all.", "x");
    }

    /// <summary>The sorted distinct labels of all the ranks, the same on every rank.</summary>
    private static TLabel[] ClassesOfAllRanks<TLabel>(Communicator comm, TLabel[] y) where TLabel : notnull
    {
        var mine = JsonSerializer.SerializeToUtf8Bytes(LabelOrder.Unique(y));
        var all = comm.AllGather(mine).Select(bytes => JsonSerializer.Deserialize<TLabel[]>(bytes) ?? []).ToArray();
        return LabelOrder.Unique(all);
    }
}
