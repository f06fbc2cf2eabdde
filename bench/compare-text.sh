#!/usr/bin/env bash
# Recurrent training speed side by side, measured in one run on this machine: the PyTorch anchors'
# text-classification workload (../shared/bench/anchors/rnn_anchors.py: Embedding(2000→64) →
# LSTM or GRU(128) → Linear(2), Adam, batch 64, 50 tokens) and Nabla's `text` runner on the same
# task, at 1 and 2 threads (OPENBLAS_NUM_THREADS and torch.set_num_threads set for PyTorch,
# NABLA_NUM_THREADS for Nabla), with the ratios against issue 16's target (Nabla at its slower
# thread count ≥ 2× PyTorch at its best) and Nabla's allocations per step. The table shows the CPU
# with its measured peak and PyTorch's own SGEMM 1024² at each thread count, measured in the
# anchor's process right after its workload; a target is judged only when that anchor is healthy
# (bench/anchor_health.py), otherwise "not judged: anchor unhealthy".
#
# Usage: bench/compare-text.sh [--full] [--runs N]
#   --full    12,800 sequences per epoch, PyTorch 3 epochs (default: the anchor's --quick, 3,200, 1 epoch)
#   --runs N  Nabla's epochs per figure (median; default 3)
# Needs: the .NET SDK, and /usr/bin/python3 with torch (sudo bash <anchors>/setup.sh installs it).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
parse_full_runs compare-text.sh "$@"
require_anchor compare-text.sh rnn_anchors.py torch "sudo bash $anchors/setup.sh"
build_bench

machine_line
torch_versions_line

side_by_side rnn_anchors.py text

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
torch = {t: json.load(open(os.path.join(results, f"torch{t}.json"))) for t in (1, 2)}
nabla = {t: json.load(open(os.path.join(results, f"nabla{t}.json"))) for t in (1, 2)}
health = AnchorHealth(results, "PyTorch", {t: torch[t]["sgemm_1024_gflops"] for t in (1, 2)})

print(health.header())
print()
print(f"Training samples/s, Embedding(2000→64) → cell(128) → Linear(2), Adam lr 1e-3, batch 64, 50 tokens "
      f"({nabla[1]['samples_per_epoch']:,} sequences per epoch; higher is better)")
print(f"{'workload':<9} {'threads':>7} {'PyTorch':>9} {'Nabla':>9} {'Nabla/PyTorch':>13} {'Nabla/PyTorch best':>18}")
verdicts = []
for cell in ("lstm", "gru"):
    key = f"{cell}_b64_t50_samples_per_s"
    best = max(torch[1][key], torch[2][key])
    for t in (1, 2):
        p, n = torch[t][key], nabla[t][key]
        print(f"{cell.upper() + ' b64':<9} {t:>7} {p:>9,.0f} {n:>9,.0f} {n / p:>13.2f} {n / best:>18.2f}")
    worst = min(nabla[1][key], nabla[2][key])
    verdicts.append(f"{cell.upper()}: Nabla's slower thread count / PyTorch's best = {worst / best:.2f} "
                    f"(target ≥ 2.0: {health.verdict(worst / best >= 2.0)}); Nabla 2 threads / 1 thread = {nabla[2][key] / nabla[1][key]:.2f}")
print()
print("\n".join(verdicts))
print()
for t in (1, 2):
    accuracies = ", ".join(f"{cell.upper()} PyTorch {next(v for k, v in torch[t].items() if k.startswith(cell + '_test_acc')):.4f} / "
                           f"Nabla {nabla[t][cell + '_test_acc_after_1ep']:.4f}" for cell in ("lstm", "gru"))
    print(f"Test accuracy after the first epoch, {t} thread(s) (different random data, the same task): {accuracies}")
print()
print(f"Peak memory, PyTorch (resident set of the anchor process): {torch[1]['peak_rss_mb']:.0f} MiB at 1 thread, {torch[2]['peak_rss_mb']:.0f} MiB at 2")
print("Nabla bytes allocated per training step (training thread / whole process), GC collections gen0/1/2 in the median epoch")
for t in (1, 2):
    n = nabla[t]
    print("  " + f"{t} thread(s): " + "; ".join(
        f"{cell.upper()} {n[cell + '_thread_bytes_per_step']:,.0f} / {n[cell + '_total_bytes_per_step']:,.0f} (GC {'/'.join(map(str, n[cell + '_gen0_gen1_gen2']))})"
        for cell in ("lstm", "gru")))
PY
