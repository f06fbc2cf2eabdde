#!/usr/bin/env bash
# Training speed side by side, measured in one run on this machine: the PyTorch anchors' MLP and
# CNN workloads (../shared/bench/anchors, next to this repository) and Nabla's `train` runner, at 1
# and 2 threads, with the ratios, peak memory and Nabla's allocations per step.
#
# Usage: bench/compare-train.sh [--full] [--runs N]
#   --full    one epoch of 60,000 samples per figure and the 5-epoch accuracy (default: the
#             anchors' --quick, 6,400 samples per epoch, no accuracy)
#   --runs N  Nabla's runs per figure (median; default 3)
# Needs: the .NET SDK, and /usr/bin/python3 with torch (sudo bash <anchors>/setup.sh installs it).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
parse_full_runs compare-train.sh "$@"

require_anchor compare-train.sh torch_anchors.py torch "sudo bash $anchors/setup.sh"
build_bench

machine_line
echo "$("$python" -c 'import torch; print("torch", torch.__version__)'), $(dotnet --version | sed 's/^/.NET SDK /')"
echo

# Each thread count: the anchor (its peak resident memory added to its JSON line), then Nabla straight after.
for threads in 1 2; do
  echo "running: PyTorch anchors, $threads thread(s) ..." >&2
  (cd "$anchors" && "$python" -c '
import json, resource, runpy, sys, io, contextlib
sys.argv = ["torch_anchors.py"] + sys.argv[1:]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    runpy.run_path("torch_anchors.py", run_name="__main__")
result = json.loads(out.getvalue().strip().splitlines()[-1])
result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(result))' --threads "$threads" $quick) | tail -n 1 > "$results/torch$threads.json"
  echo "running: Nabla train, NABLA_NUM_THREADS=$threads ..." >&2
  NABLA_NUM_THREADS="$threads" dotnet "$bench_dll" train --json --runs "$runs" $quick | tail -n 1 > "$results/nabla$threads.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

"$python" - "$results" <<'PY'
import json, os, sys
results = sys.argv[1]
torch = {t: json.load(open(os.path.join(results, f"torch{t}.json"))) for t in (1, 2)}
nabla = {t: json.load(open(os.path.join(results, f"nabla{t}.json"))) for t in (1, 2)}
PEAK_SAMPLES = 300_000  # 435 GFLOP/s / 1.4 MFLOP per MLP sample (forward + backward)

print("Training samples/s, Adam lr 1e-3, cross-entropy (higher is better)")
print(f"{'workload':<14} {'threads':>7} {'PyTorch':>9} {'Nabla':>9} {'Nabla/PyTorch':>13} {'Nabla/PyTorch best':>18} {'MLP % of peak':>13}")
targets = {"mlp_b64_samples_per_s": 2.0, "mlp_b256_samples_per_s": 2.0, "cnn_b64_samples_per_s": 1.0}
verdicts = []
for key, target in targets.items():
    best = max(torch[1][key], torch[2][key])
    for t in (1, 2):
        p, n = torch[t][key], nabla[t][key]
        peak = f"{100 * n / PEAK_SAMPLES:.1f}%" if key.startswith("mlp") else ""
        print(f"{key.replace('_samples_per_s', ''):<14} {t:>7} {p:>9,.0f} {n:>9,.0f} {n / p:>13.2f} {n / best:>18.2f} {peak:>13}")
    worst = min(nabla[1][key], nabla[2][key])
    verdicts.append(f"{key.replace('_samples_per_s', '')}: Nabla's slower thread count / PyTorch's best = {worst / best:.2f} "
                    f"(target ≥ {target:.1f}: {'met' if worst / best >= target else 'NOT met'}); "
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
