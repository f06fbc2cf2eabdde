#!/usr/bin/env bash
# Side-by-side speed comparison, measured in one run on this machine: the PyTorch anchors
# (../shared/bench/anchors, next to this repository) and Nabla's runners, at 1 and 2 threads,
# with the ratios. Never compare against figures from another day or machine. Each table shows the
# CPU with its measured peak and PyTorch's own SGEMM 1024² beside it; a target is judged only when
# that anchor is healthy (bench/anchor_health.py), otherwise "not judged: anchor unhealthy".
#
# Usage: bench/compare.sh [--full] [--no-gemm]
#   --full     the anchors' full run (default: their --quick run; the figures used here are the same)
#   --no-gemm  skip the GEMM comparison (per-op overhead only)
# Needs: the .NET SDK, and /usr/bin/python3 with torch (sudo bash <anchors>/setup.sh installs it).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
quick="--quick"
gemm=1
for arg in "$@"; do
  case "$arg" in
    --full) quick="" ;;
    --no-gemm) gemm=0 ;;
    *) echo "compare.sh: unknown argument '$arg' (expected --full or --no-gemm)" >&2; exit 2 ;;
  esac
done

require_anchor compare.sh torch_anchors.py torch "sudo bash $anchors/setup.sh"

build_bench

machine_line
torch_versions_line

# Each thread count: the anchor, then Nabla straight after, so both see the same machine state.
for threads in 1 2; do
  echo "running: PyTorch anchors, $threads thread(s) ..." >&2
  (cd "$anchors" && with_blas_threads "$threads" "$python" torch_anchors.py --threads "$threads" $quick) | tail -n 1 > "$results/torch$threads.json"
  echo "running: Nabla overhead, NABLA_NUM_THREADS=$threads ..." >&2
  NABLA_NUM_THREADS="$threads" dotnet "$bench_dll" overhead --json | tail -n 1 > "$results/nabla$threads.json"
done
if [[ "$gemm" == 1 ]]; then
  echo "running: Nabla GEMM vs OpenBLAS, 1 and 2 threads ..." >&2
  dotnet "$bench_dll" gemm ${quick:+--quick} > "$results/gemm.txt"
fi

PYTHONPATH="$here" "$python" - "$results" "$gemm" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results, gemm = sys.argv[1], sys.argv[2] == "1"
torch = {t: json.load(open(os.path.join(results, f"torch{t}.json"))) for t in (1, 2)}
nabla = {t: json.load(open(os.path.join(results, f"nabla{t}.json"))) for t in (1, 2)}
health = AnchorHealth(results, "PyTorch", {t: torch[t]["sgemm_1024_gflops"] for t in (1, 2)})

print(health.header())
print("Eager per-op overhead: 1,000 × (y*1.0001 + 0.0001) on a 1-element tensor, forward + backward (µs/op, lower is better)")
print(f"{'threads':>7}  {'PyTorch':>9}  {'Nabla':>9}  {'Nabla/PyTorch':>13}  {'Nabla B/op':>10}  {'B/backward':>10}")
for t in (1, 2):
    p, n = torch[t]["eager_op_us_fwd_bwd_1elem"], nabla[t]["eager_op_us_fwd_bwd_1elem"]
    bytes_per_op = nabla[t]["forward_bytes_per_op"] + nabla[t]["backward_bytes_per_op"]
    print(f"{t:>7}  {p:>9.3f}  {n:>9.3f}  {n / p:>13.3f}  {bytes_per_op:>10.1f}  {nabla[t]['backward_bytes']:>10,}")
best = min(torch[1]["eager_op_us_fwd_bwd_1elem"], torch[2]["eager_op_us_fwd_bwd_1elem"])
worst = max(nabla[1]["eager_op_us_fwd_bwd_1elem"], nabla[2]["eager_op_us_fwd_bwd_1elem"])
print(f"target: Nabla ≤ 1/5 of PyTorch's per-op time. Against PyTorch's best: {worst / best:.3f} "
      f"({health.verdict(worst / best <= 0.2)}; Nabla is {best / worst:.0f}× faster)")

if gemm:
    # Match the square shapes and the MLP forward product of Nabla's GEMM table to the anchor's keys.
    keys = {"256²": "sgemm_256_gflops", "512²": "sgemm_512_gflops", "1024²": "sgemm_1024_gflops",
            "2048²": "sgemm_2048_gflops", "MLP fwd x·Wᵀ 64×784·(256×784)ᵀ": "sgemm_64x784x256_gflops"}
    print()
    print(health.header())
    print("SGEMM Float32 (GFLOP/s, higher is better); Nabla's full table with OpenBLAS follows")
    print(f"{'shape':<32}  {'threads':>7}  {'PyTorch':>8}  {'Nabla':>8}  {'Nabla/PyTorch':>13}")
    table = open(os.path.join(results, "gemm.txt"), encoding="utf-8").read().splitlines()
    two_thread_ratios = {}
    for line in table:
        name = line[:34].strip()
        if name not in keys:
            continue
        fields = line[34:].split()
        try:
            t, ours = int(fields[0]), float(fields[1])
        except (IndexError, ValueError):
            continue
        theirs = torch[t].get(keys[name])
        ratio = f"{ours / theirs:.2f}" if theirs else "-"
        print(f"{name:<32}  {t:>7}  {theirs if theirs else '-':>8}  {ours:>8.1f}  {ratio:>13}")
        if t == 2 and theirs:
            two_thread_ratios[name] = ours / theirs
    large = [two_thread_ratios[name] for name in ("1024²", "2048²") if name in two_thread_ratios]
    if large:
        print(f"target: SGEMM 1024² and 2048² at 2 threads ≥ 1.1× PyTorch: {', '.join(f'{r:.2f}' for r in large)} "
              f"({health.verdict(min(large) >= 1.1, threads=(2,))})")
    print()
    print("\n".join(table))
PY
