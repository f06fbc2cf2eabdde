using BenchmarkDotNet.Running;
using Nabla.Bench;

// `peak`, `gemm`, `overhead`, `integrate`, `ig`, `train`, `text`, `estimators`, `mlp-estimator` and `recommender` run the plain side-by-side runners (one table in
// seconds, used by bench/compare*.sh; `peak` is this CPU's measured Float32 FMA throughput); `cnn-profile`, `mlp-profile` and
// `logistic-profile` break one workload into its phases; `text-accuracy` trains the text models on the Debian descriptions and
// reports their test accuracy; `recommend-all` times the top 10 for every user of a large recommender; `allreduce-bandwidth`,
// run under mpirun (bench/allreduce-bandwidth.sh), times MPI allreduce from 1 KB to 64 MB; `ddp` (bench/compare-ddp.sh) trains
// the anchors' MLP data-parallel, under mpirun or in one process; anything else goes to
// BenchmarkDotNet, e.g. `--filter *EagerOverhead*`.
switch (args.FirstOrDefault())
{
    case "peak":
        CpuPeak.Run(args[1..]);
        break;
    case "gemm":
        GemmComparison.Run(args[1..]);
        break;
    case "overhead":
        OverheadComparison.Run(args[1..]);
        break;
    case "integrate":
        IntegrationComparison.Run(args[1..]);
        break;
    case "ig":
        IntegratedGradientsComparison.Run(args[1..]);
        break;
    case "estimators":
        EstimatorComparison.Run(args[1..]);
        break;
    case "cnn-profile":
        CnnProfile.Run(args[1..]);
        break;
    case "mlp-profile":
        CnnProfile.RunMlp(args[1..]);
        break;
    case "logistic-profile":
        LogisticProfile.Run(args[1..]);
        break;
    case "mlp-estimator":
        MlpEstimatorThroughput.Run(args[1..]);
        break;
    case "train":
        TrainingComparison.Run(args[1..]);
        break;
    case "text":
        RecurrentComparison.Run(args[1..]);
        break;
    case "recommender":
        RecommenderComparison.Run(args[1..]);
        break;
    case "text-accuracy":
        TextAccuracy.Run(args[1..]);
        break;
    case "recommend-all": RecommendAllBenchmark.Run(args[1..]); break;
    case "ddp":
        DataParallelComparison.Run(args[1..]);
        break;
    case "allreduce-bandwidth": AllreduceBandwidth.Run(args[1..]); break;
    case "onnx": OnnxInferenceComparison.Run(args[1..]); break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
