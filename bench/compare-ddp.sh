#!/usr/bin/env bash
# Data-parallel training side by side, measured in one run on this machine: the PyTorch anchor
# ../shared/bench/anchors/ddp_anchors.py (DistributedDataParallel over gloo on the loopback interface,
# one thread a process: the MLP 784-256-128-10 on Fashion-MNIST, Adam lr 1e-3, global batch 128 split
# evenly, at 1 and 2 processes) and Nabla's `ddp` runner on the same workload (the library's Trainer with
# DistributedDataParallel over Open MPI, one thread a rank, run by mpirun; and in one process at 1 and 2
# threads, for the question this 2-core machine can answer: 2 ranks × 1 thread against 1 process × 2
# threads). Issue 18's target: Nabla with 2 ranks ≥ 2× PyTorch DDP with 2 ranks. The table shows the
# CPU with its measured peak and PyTorch's own SGEMM 1024² at 1 thread, measured in the anchor's parent
# process right after its workload; the target is judged only when that anchor is healthy
# (bench/anchor_health.py). Nabla's figure is the median over --runs jobs of each job's best epoch after
# its first (the JIT's warm-up); the anchor times its single epoch whole.
#
# Usage: bench/compare-ddp.sh [--full] [--runs N]
#   --full    60,000 samples an epoch (default: the anchor's --quick, 6,400)
#   --runs N  Nabla's jobs per figure (median; default 3)
# Needs: the .NET SDK, Open MPI (apt-get install openmpi-bin) and /usr/bin/python3 with torch
# (sudo bash <anchors>/setup.sh installs it). ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
parse_full_runs compare-ddp.sh "$@"
require_anchor compare-ddp.sh ddp_anchors.py torch.distributed "sudo bash $anchors/setup.sh"
command -v mpirun >/dev/null || { echo "compare-ddp.sh: mpirun is not on PATH; install openmpi-bin" >&2; exit 1; }
build_bench

# mpirun refuses root unless both are set; for any other user they change nothing. A dumb terminal keeps
# .NET's escape codes out of the ranks' output, which mpirun passes through a terminal-like channel.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TERM=dumb
# --bind-to none: mpirun pins each of 2 ranks to one core by default, and a pinned rank shares its core with its own
# runtime's threads (the JIT, the garbage collector) and with whatever else runs there, while the other core may be idle:
# on this 2-core machine, shared with other work, pinned runs measured 10,665 samples/s against 93,590 unpinned.
mpi=(mpirun --oversubscribe --bind-to none --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo)

machine_line
torch_versions_line

echo "running: PyTorch ddp_anchors.py, 1 and 2 processes of 1 thread ..." >&2
(cd "$anchors" && with_blas_threads 1 "$python" "$here/torch_anchor_run.py" ddp_anchors.py --ranks 1,2 $quick) | tail -n 1 > "$results/torch.json"
for ((run = 1; run <= runs; run++)); do
  echo "running: Nabla ddp, job $run of $runs: 1 process × 1 thread, 1 process × 2 threads, 2 ranks × 1 thread ..." >&2
  NABLA_NUM_THREADS=1 dotnet "$bench_dll" ddp $quick | tail -n 1 >> "$results/nabla_1x1.json"
  NABLA_NUM_THREADS=2 dotnet "$bench_dll" ddp $quick | tail -n 1 >> "$results/nabla_1x2.json"
  NABLA_NUM_THREADS=1 "${mpi[@]}" -np 2 -x NABLA_NUM_THREADS dotnet "$bench_dll" ddp $quick </dev/null | tail -n 1 >> "$results/nabla_2x1.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, statistics, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
torch = json.load(open(os.path.join(results, "torch.json")))
def nabla(name):
    rows = [json.loads(line) for line in open(os.path.join(results, f"nabla_{name}.json")) if line.strip()]
    return statistics.median(r["samples_per_s"] for r in rows), rows[0]["final_loss"]
health = AnchorHealth(results, "PyTorch", {1: torch["sgemm_1024_gflops"]})
print(health.header())
print()
t1, t2 = torch["ddp_mlp_1ranks_samples_per_s"], torch["ddp_mlp_2ranks_samples_per_s"]
(n11, l11), (n12, l12), (n21, l21) = nabla("1x1"), nabla("1x2"), nabla("2x1")
print("MLP 784-256-128-10, Adam lr 1e-3, global batch 128: training samples/s (higher is better)")
print(f"{'setting':<34} {'PyTorch':>10} {'Nabla':>10} {'Nabla/PyTorch':>14}")
print(f"{'1 process × 1 thread':<34} {t1:>10,.0f} {n11:>10,.0f} {n11 / t1:>14.2f}")
print(f"{'1 process × 2 threads':<34} {'–':>10} {n12:>10,.0f} {'–':>14}")
print(f"{'2 ranks × 1 thread (DDP)':<34} {t2:>10,.0f} {n21:>10,.0f} {n21 / t2:>14.2f}")
print()
print(f"Nabla 2 ranks / PyTorch DDP 2 ranks = {n21 / t2:.2f} (target ≥ 2.0: {health.verdict(n21 / t2 >= 2.0, threads=(1,))})")
print(f"Nabla 2 ranks × 1 thread / 1 process × 2 threads = {n21 / n12:.2f}; 2 ranks / 1 rank (1 thread each) = {n21 / n11:.2f}; PyTorch DDP 2 / 1 = {t2 / t1:.2f}")
print(f"Final training loss, the same global batches: Nabla 1 process {l11:.4f}, 2 ranks {l21:.4f} (close: the ranks average the same gradients, summed in another order)")
PY
