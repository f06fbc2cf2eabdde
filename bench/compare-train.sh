#!/usr/bin/env bash
# Training speed side by side, measured in one run on this machine: the PyTorch anchors' MLP and
# CNN workloads (../shared/bench/anchors, next to this repository) and Nabla's `train` runner, at 1
# and 2 threads, with the ratios, peak memory and Nabla's allocations per step. The table shows the
# CPU with its measured peak and PyTorch's own SGEMM 1024²; a target is judged only when that anchor
# is healthy (bench/anchor_health.py), otherwise "not judged: anchor unhealthy".
#
# Usage: bench/compare-train.sh [--full] [--runs N] [--contended]
#   --full       one epoch of 60,000 samples per figure and the 5-epoch accuracy (default: the
#                anchors' --quick, 6,400 samples per epoch, no accuracy)
#   --runs N     Nabla's runs per figure (median; default 3)
#   --contended  no anchors: with one busy-loop competitor per core running throughout, Nabla's
#                `train` and `gemm --nabla-only` runners at NABLA_NUM_THREADS=1 and at the default
#                thread count, alternated 3 times; prints default / 1 thread (target ≥ 0.90)
# Needs: the .NET SDK, and /usr/bin/python3 with torch (sudo bash <anchors>/setup.sh installs it).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
contended=0
options=()
for arg in "$@"; do
  if [[ "$arg" == --contended ]]; then contended=1; else options+=("$arg"); fi
done
parse_full_runs compare-train.sh "${options[@]}"

# run_contended: the --contended run. The competitors start after the peak is measured and run
# until the script ends; each alternation runs Nabla at 1 thread, then at its default thread count
# (NABLA_NUM_THREADS unset: all cores), so both see the same competitors.
run_contended() {
  local pairs=3 pair mode
  build_bench
  machine_line
  dotnet --version | sed 's/^/.NET SDK /'
  start_competitors
  echo "competitors: ${#competitors[@]} busy loops (sh -c 'while :; do :; done', pids ${competitors[*]}), one per core"
  echo
  for ((pair = 1; pair <= pairs; pair++)); do
    for mode in 1 default; do
      echo "running: alternation $pair of $pairs, Nabla train and gemm --nabla-only, threads: $mode ..." >&2
      if [[ "$mode" == 1 ]]; then
        export NABLA_NUM_THREADS=1
      else
        unset NABLA_NUM_THREADS
      fi
      dotnet "$bench_dll" train --json --runs "$runs" $quick | tail -n 1 > "$results/train-$mode-$pair.json"
      dotnet "$bench_dll" gemm --json --nabla-only --default-threads ${quick:+--quick} | tail -n 1 > "$results/gemm-$mode-$pair.json"
    done
  done
  unset NABLA_NUM_THREADS
  echo "load average at the end, competitors still running: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_competitors
  echo

  "$python" - "$results" "$pairs" <<'PY'
import json, os, statistics, sys
results, pairs = sys.argv[1], int(sys.argv[2])
def load(kind, mode, pair):
    return json.load(open(os.path.join(results, f"{kind}-{mode}-{pair}.json")))
def gemm_rate(shape):
    return lambda mode, pair: next(r["nabla_gflops"] for r in load("gemm", mode, pair)["rows"] if r["shape"] == shape)
def train_rate(key):
    return lambda mode, pair: load("train", mode, pair)[key]
workloads = [("MLP b64 (samples/s)", train_rate("mlp_b64_samples_per_s")),
             ("MLP b256 (samples/s)", train_rate("mlp_b256_samples_per_s")),
             ("CNN b64 (samples/s)", train_rate("cnn_b64_samples_per_s")),
             ("GEMM 1024² (GFLOP/s)", gemm_rate("1024²")),
             ("GEMM MLP fwd 64×784·(256×784)ᵀ", gemm_rate("MLP fwd x·Wᵀ 64×784·(256×784)ᵀ"))]
def figure(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"
default_threads = load("train", "default", 1)["threads"]
print(f"Contended: one busy loop per core; Nabla at its default thread count ({default_threads}) against "
      f"NABLA_NUM_THREADS=1, alternated {pairs} times (1, default, 1, default, ...); each figure the runner's median")
print(f"{'workload':<32} {'1 thread':>22} {'default':>22} {'default / 1 per pair':>22} {'median':>7}")
verdicts = []
for name, rate in workloads:
    one = [rate("1", p) for p in range(1, pairs + 1)]
    default = [rate("default", p) for p in range(1, pairs + 1)]
    ratios = [d / o for d, o in zip(default, one)]
    median = statistics.median(ratios)
    print(f"{name:<32} {' · '.join(map(figure, one)):>22} {' · '.join(map(figure, default)):>22} "
          f"{' · '.join(f'{r:.2f}' for r in ratios):>22} {median:>7.3f}")
    verdicts.append(f"{name.split(' (')[0]}: default / 1 thread under contention {median:.3f} (target ≥ 0.90: {'met' if median >= 0.9 else 'NOT met'})")
print()
print("\n".join(verdicts))
PY
}

if [[ "$contended" == 1 ]]; then
  run_contended
  exit 0
fi

require_anchor compare-train.sh torch_anchors.py torch "sudo bash $anchors/setup.sh"
build_bench

machine_line
torch_versions_line

side_by_side torch_anchors.py train

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
torch = {t: json.load(open(os.path.join(results, f"torch{t}.json"))) for t in (1, 2)}
nabla = {t: json.load(open(os.path.join(results, f"nabla{t}.json"))) for t in (1, 2)}
health = AnchorHealth(results, "PyTorch", {t: torch[t]["sgemm_1024_gflops"] for t in (1, 2)})

# FLOPs of one MLP training sample, counted layer by layer: the forward product and the weight
# gradient each 2·in·out per layer, the input gradient 2·in·out for every layer but the first (the
# pixels need none). Bias, activation, loss and Adam are O(in + out) and left out.
layers = [784, 256, 128, 10]
products = [2 * i * o for i, o in zip(layers, layers[1:])]
forward, weight_gradients, input_gradients = sum(products), sum(products), sum(products[1:])
flops_per_sample = forward + weight_gradients + input_gradients

print(health.header())
print(f"MLP % of peak: {flops_per_sample:,} FLOP per sample ({'-'.join(map(str, layers))}: forward {forward:,}, "
      f"weight gradients {weight_gradients:,}, input gradients of layers 2-{len(products)} {input_gradients:,}) "
      f"against the measured peak, i.e. {', '.join(f'{health.peak[t] * 1e9 / flops_per_sample:,.0f} samples/s at {t} thread(s)' for t in (1, 2))}")
print()
print("Training samples/s, Adam lr 1e-3, cross-entropy (higher is better)")
print(f"{'workload':<14} {'threads':>7} {'PyTorch':>9} {'Nabla':>9} {'Nabla/PyTorch':>13} {'Nabla/PyTorch best':>18} {'MLP % of peak':>13}")
targets = {"mlp_b64_samples_per_s": 2.5, "mlp_b256_samples_per_s": 2.5, "cnn_b64_samples_per_s": 2.0}
verdicts = []
for key, target in targets.items():
    best = max(torch[1][key], torch[2][key])
    for t in (1, 2):
        p, n = torch[t][key], nabla[t][key]
        peak = f"{100 * n * flops_per_sample / (health.peak[t] * 1e9):.1f}%" if key.startswith("mlp") else ""
        print(f"{key.replace('_samples_per_s', ''):<14} {t:>7} {p:>9,.0f} {n:>9,.0f} {n / p:>13.2f} {n / best:>18.2f} {peak:>13}")
    worst = min(nabla[1][key], nabla[2][key])
    verdicts.append(f"{key.replace('_samples_per_s', '')}: Nabla's slower thread count / PyTorch's best = {worst / best:.2f} "
                    f"(target ≥ {target:.1f}: {health.verdict(worst / best >= target)}); "
                    f"Nabla 2 threads / 1 thread = {nabla[2][key] / nabla[1][key]:.2f}")
print()
print("\n".join(verdicts))
print()
if "mlp_b64_5ep_test_acc" in torch[1] and "mlp_b64_5ep_test_acc" in nabla[1]:
    for t in (1, 2):
        p, n = torch[t]["mlp_b64_5ep_test_acc"], nabla[t]["mlp_b64_5ep_test_acc"]
        print(f"MLP batch 64, 5-epoch test accuracy, {t} thread(s): PyTorch {p:.4f}, Nabla {n:.4f} "
              f"(difference {100 * (n - p):+.2f} points; target within 0.5)")
for t in (1, 2):
    print(f"CNN 1-epoch test accuracy, {t} thread(s): PyTorch {torch[t]['cnn_1ep_test_acc']:.4f}, Nabla {nabla[t]['cnn_1ep_test_acc']:.4f}")
print()
print("Peak memory (MiB; PyTorch: peak resident set of the anchor process, which also runs its GEMM and overhead anchors; Nabla: peak working set)")
for t in (1, 2):
    print(f"  {t} thread(s): PyTorch {torch[t]['peak_rss_mb']:.0f}, Nabla {nabla[t]['peak_working_set_mb']:.0f}")
print()
print("Nabla bytes allocated per training step (training thread / whole process), GC collections gen0/1/2 in the median epoch")
for t in (1, 2):
    n = nabla[t]
    print(f"  {t} thread(s): MLP b64 {n['mlp_b64_thread_bytes_per_step']:,.0f} / {n['mlp_b64_total_bytes_per_step']:,.0f} "
          f"(GC {'/'.join(map(str, n['mlp_b64_gen0_gen1_gen2']))}); MLP b256 {n['mlp_b256_thread_bytes_per_step']:,.0f} / {n['mlp_b256_total_bytes_per_step']:,.0f}; "
          f"CNN b64 {n['cnn_b64_thread_bytes_per_step']:,.0f} / {n['cnn_b64_total_bytes_per_step']:,.0f} (GC {'/'.join(map(str, n['cnn_b64_gen0_gen1_gen2']))})")
PY
