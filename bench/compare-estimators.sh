#!/usr/bin/env bash
# Estimator speed side by side, measured in one run on this machine: the scikit-learn anchors
# (../shared/bench/anchors/sklearn_anchors.py, next to this repository) and Nabla's `estimators`
# runner, at 1 and 2 threads, with the ratios against the targets of the estimators' issue:
# LinearRegression and LogisticRegression fit times, MlpClassifier (256, 128) samples a second.
# The tables show the CPU with its measured peak and the anchors' own SGEMM 1024² (NumPy's float32
# matmul, bench/numpy_sgemm_anchor.py, in the anchors' environment); a target is judged only when that
# anchor is healthy (bench/anchor_health.py), otherwise "not judged: anchor unhealthy".
#
# Usage: bench/compare-estimators.sh [--full] [--runs N]
#   --full    the anchors' full sizes: LinearRegression on 1,000,000 × 100, LogisticRegression and the
#             MLP's epoch on all 60,000 Fashion-MNIST images (default: the anchors' --quick, 100,000 rows
#             and 6,400 images)
#   --runs N  Nabla's fits per figure (median; default 3); scikit-learn's figures are single fits
# Needs: the .NET SDK, and /usr/bin/python3 with scikit-learn (Debian's python3-sklearn).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
parse_full_runs compare-estimators.sh "$@"

require_anchor compare-estimators.sh sklearn_anchors.py sklearn "sudo apt-get install python3-sklearn"
build_bench

machine_line
echo "$("$python" -c 'import sklearn, numpy; print("scikit-learn", sklearn.__version__, "NumPy", numpy.__version__)'), $(dotnet --version | sed 's/^/.NET SDK /')"
echo

# Each thread count: the anchor's SGEMM and the anchor (their BLAS limited by the usual variables),
# then Nabla straight after.
for threads in 1 2; do
  echo "running: NumPy SGEMM 1024² and scikit-learn anchors, $threads thread(s) ..." >&2
  (cd "$anchors" && with_blas_threads "$threads" "$python" "$here/numpy_sgemm_anchor.py" "$anchors") | tail -n 1 > "$results/numpy$threads.json"
  (cd "$anchors" && with_blas_threads "$threads" "$python" sklearn_anchors.py $quick) | tail -n 1 > "$results/sklearn$threads.json"
  echo "running: Nabla estimators, NABLA_NUM_THREADS=$threads ..." >&2
  NABLA_NUM_THREADS="$threads" dotnet "$bench_dll" estimators --json --runs "$runs" $quick | tail -n 1 > "$results/nabla$threads.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
sk = {t: json.load(open(os.path.join(results, f"sklearn{t}.json"))) for t in (1, 2)}
nb = {t: json.load(open(os.path.join(results, f"nabla{t}.json"))) for t in (1, 2)}
numpy_sgemm = {t: json.load(open(os.path.join(results, f"numpy{t}.json")))["sgemm_1024_gflops"] for t in (1, 2)}
health = AnchorHealth(results, "scikit-learn (NumPy float32 matmul)", numpy_sgemm)
linreg = next(k for k in sk[1] if k.startswith("linreg_"))

print(health.header())
print("Fit time in seconds (lower is better); scikit-learn single fits, Nabla the median of its runs")
print(f"{'workload':<34} {'threads':>7} {'scikit-learn':>12} {'Nabla':>8} {'Nabla/sklearn':>13}")
rows = [(f"LinearRegression {linreg[7:-6]}", linreg, 0.5), ("LogisticRegression lbfgs", "logreg_lbfgs_fit_s", 0.5)]
verdicts = []
for name, key, target in rows:
    for t in (1, 2):
        print(f"{name:<34} {t:>7} {sk[t][key]:>12.2f} {nb[t][key]:>8.2f} {nb[t][key] / sk[t][key]:>13.2f}")
    worst = max(nb[t][key] / sk[t][key] for t in (1, 2))
    verdicts.append(f"{name}: worst Nabla/scikit-learn time ratio {worst:.2f} (target ≤ {target:.1f}: {health.verdict(worst <= target)})")
print()
print("\n".join(verdicts))
print()
for t in (1, 2):
    print(f"LogisticRegression test accuracy, {t} thread(s): scikit-learn {sk[t]['logreg_test_acc']:.4f}, "
          f"Nabla {nb[t]['logreg_test_acc']:.4f} ({nb[t]['logreg_n_iter']} iterations)")
print()
# scikit-learn's MLP computes in its input's type, Float32 for the anchor's pixels; Nabla's Float32 row
# is its counterpart, the Float64 row (the estimator's default) the same network in double precision.
print(health.header())
print("MlpClassifier (256, 128), Adam, batch 64, one epoch: samples per second (higher is better)")
print(f"{'Nabla type':<10} {'threads':>7} {'scikit-learn':>12} {'Nabla':>8} {'Nabla/sklearn':>13} {'accuracy sklearn':>16} {'Nabla':>6}")
mlp = [("Float64", "mlp_b64_samples_per_s", "mlp_1ep_test_acc"), ("Float32", "mlp_b64_f32_samples_per_s", "mlp_1ep_f32_test_acc")]
for dtype, key, acc in mlp:
    for t in (1, 2):
        s, n = sk[t]["mlp_b64_samples_per_s"], nb[t][key]
        print(f"{dtype:<10} {t:>7} {s:>12,} {n:>8,.0f} {n / s:>13.2f} {sk[t]['mlp_1ep_test_acc']:>16.4f} {nb[t][acc]:>6.4f}")
for dtype, key, _ in mlp:
    worst = min(nb[t][key] / sk[t]["mlp_b64_samples_per_s"] for t in (1, 2))
    scaling = nb[2][key] / nb[1][key]
    print(f"MlpClassifier {dtype}: worst Nabla/scikit-learn samples/s ratio {worst:.2f} (target ≥ 2.0: {health.verdict(worst >= 2)}); "
          f"Nabla 2 threads / 1 thread {scaling:.2f} ({'not slower' if scaling >= 1 else 'SLOWER'})")
PY
