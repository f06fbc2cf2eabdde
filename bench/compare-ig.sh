#!/usr/bin/env bash
# Integrated gradients against Captum's default (issue 19), measured in one run on this machine: Nabla's
# `ig` runner explains the first held-out digits on the networks of the tests (the default digits MLP of
# `nabla train`, a deeper tanh MLP, the small CNN; Float64) from the zero and the training-mean baseline,
# with its adaptive Gauss–Kronrod rule to a completeness error below 1e-6 and with its 50-point
# Gauss–Legendre rule, and exports the networks, rows and targets; bench/ig_anchor.py then runs Captum's
# algorithm (method "gausslegendre", n_steps 50) in PyTorch, Float64, on the same networks and rows, and
# finds how many steps it needs for a completeness error below 1e-6 on every row. One table compares the
# gradient evaluations per row. The CPU line and PyTorch's own SGEMM 1024² at 2 threads (bench/anchor_health.py)
# head it as in the other reports, though the comparison is in evaluations, not time; both sides run at 2 threads.
#
# Usage: bench/compare-ig.sh [--rows N] [--max-steps N]
#   --rows N       held-out digits explained per network and baseline (default 100)
#   --max-steps N  the most steps the anchor tries for Captum's rule (default 204800)
# Needs: the .NET SDK, and /usr/bin/python3 with torch (sudo bash <anchors>/setup.sh installs it).
# ANCHORS=dir overrides where the anchor scripts are.
set -euo pipefail

source "$(dirname "$0")/common.sh"
rows=100
max_steps=204800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows|--max-steps)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "compare-ig.sh: $1 needs a positive whole number" >&2; exit 2; }
      if [[ "$1" == --rows ]]; then rows="$2"; else max_steps="$2"; fi
      shift ;;
    *) echo "compare-ig.sh: unknown argument '$1' (expected --rows N or --max-steps N)" >&2; exit 2 ;;
  esac
  shift
done

require_anchor compare-ig.sh torch_anchors.py torch "sudo bash $anchors/setup.sh"
build_bench

machine_line
torch_versions_line

echo "running: Nabla ig, $rows rows, NABLA_NUM_THREADS=2 ..." >&2
NABLA_NUM_THREADS=2 dotnet "$bench_dll" ig --rows "$rows" --export "$results/networks.safetensors" --json | tail -n 1 > "$results/nabla.json"
# Through torch_anchor_run.py, which adds PyTorch's own SGEMM 1024² at the same settings: the anchor's health.
echo "running: Captum's rule in PyTorch (bench/ig_anchor.py), 2 threads ..." >&2
(cd "$anchors" && with_blas_threads 2 "$python" "$here/torch_anchor_run.py" "$here/ig_anchor.py" "$results/networks.safetensors" \
  --threads 2 --max-steps "$max_steps") | tail -n 1 > "$results/captum.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
nabla = json.load(open(os.path.join(results, "nabla.json")))
captum = json.load(open(os.path.join(results, "captum.json")))
health = AnchorHealth(results, "PyTorch", {captum["threads"]: captum["sgemm_1024_gflops"]})
anchor = {(r["network"], r["baseline"]): r for r in captum["results"]}

print(health.header())
print()
print(f"Integrated gradients, the first {nabla['rows']} held-out digits, each for its predicted class; Float64 on both sides "
      f"(Nabla: weights, rows and gradients in Float64; PyTorch {captum['torch']}: the same, torch.float64)")
print(f"Nabla: Attribute, exact segment by segment between the units' switches for the ReLU networks (PiecewiseLinear), adaptive "
      f"Gauss–Kronrod 7/15 panels for the tanh one, AbsoluteTolerance {nabla['target']:g}; Captum: method 'gausslegendre' "
      f"(NumPy {captum['numpy']} leggauss)")
checks = "; ".join(f"at {n} steps {c['node']:.0e} in the nodes, {c['weight_sum']:.0e} summed over the weights" for n, c in captum["rule_check"].items())
print(f"The anchor's rule past 2,048 steps by Newton's method, past 16,384 by the asymptotic formulas, each against the one before: {checks}")
print(f"Captum steps needed = the fewest n_steps with every row's |delta| < {captum['target']:g} (doubling from 50, then bisection to 5 %)")
print()
header = (f"{'network':<11} {'baseline':<14} {'Nabla evals/row':>16} {'(max)':>7} {'Nabla max |gap|':>16} "
          f"{'Captum GL-50 max |gap|':>23} {'Captum steps needed':>19} {'Captum/Nabla evals':>19}")
print(header)
verdicts = []
for r in nabla["results"]:
    a = anchor[(r["network"], r["baseline"])]
    steps = a["steps_needed"]
    needed = f"{steps:,}" if steps is not None else f"> {a['max_steps']:,}"
    ratio = (steps if steps is not None else a["max_steps"]) / r["adaptive_evals_mean"]
    ratio_text = f"{ratio:.1f}" if steps is not None else f"> {ratio:.1f}"
    print(f"{r['network']:<11} {r['baseline']:<14} {r['adaptive_evals_mean']:>16,.1f} {r['adaptive_evals_max']:>7,} "
          f"{r['adaptive_max_completeness']:>16.1e} {a['gl50_max_completeness']:>23.1e} {needed:>19} {ratio_text:>19}")
    reached = r["adaptive_max_completeness"] < nabla["target"]
    fewer = ratio > 1
    verdicts.append(f"{r['network']}, {r['baseline']}: Nabla {'reaches' if reached else 'does NOT reach'} < {nabla['target']:g} on every row, "
                    f"with {'fewer' if fewer else 'MORE'} evaluations per row than Captum's rule needs")
print()
print("\n".join(verdicts))
print()
print("Means over the rows, and time per row (both at 2 threads; PyTorch's batch is one row's 50 steps, as Nabla's):")
print(f"{'network':<11} {'baseline':<14} {'Nabla mean |gap|':>17} {'bound max':>10} {'ms/row':>8} {'Nabla GL-50 max |gap|':>22} {'ms/row':>8} "
      f"{'Captum GL-50 mean |gap|':>24} {'ms/row':>8}")
for r in nabla["results"]:
    a = anchor[(r["network"], r["baseline"])]
    print(f"{r['network']:<11} {r['baseline']:<14} {r['adaptive_mean_completeness']:>17.1e} {r['adaptive_max_bound']:>10.1e} "
          f"{r['adaptive_ms_per_row']:>8.2f} {r['gl50_max_completeness']:>22.1e} {r['gl50_ms_per_row']:>8.2f} "
          f"{a['gl50_mean_completeness']:>24.1e} {a['gl50_ms_per_row']:>8.2f}")
PY
