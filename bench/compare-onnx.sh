#!/usr/bin/env bash
# Serving exported models, measured in one run on this machine: Nabla's `onnx` runner (OnnxInferenceComparison.cs) times,
# per model and batch size, Nabla's own forward pass as ModelFile.Predict runs it and ONNX Runtime running the graph
# OnnxExport writes for the same model (IntraOpNumThreads = T, InterOpNumThreads = 1, every graph optimisation, the input
# created once), after checking that the two outputs agree to 1e-4. Models: the default MLP of `nabla train` on a
# 64-column table (64 → 128 → 64 → 10), a wider MLP on 784 columns (784 → 256 → 128 → 10) and the CNN of `nabla train`
# for 28×28 images, random weights, at batch 1 and 256; at 1 and 2 threads (NABLA_NUM_THREADS=T and --threads T).
# One table: the time per batch of each, the ratio ONNX Runtime / Nabla (above 1: Nabla faster), and ONNX Runtime's own
# MatMul 1024² in GFLOP/s at the same settings with its health against this CPU's measured peak (bench/anchor_health.py);
# then where Nabla is not within 1.5× of ONNX Runtime at batch 256 (the target), judged only where the anchor is healthy.
#
# Usage: bench/compare-onnx.sh [--runs N]
#   --runs N  runs of at least 100 ms per figure, 1 to 1000 (median; default 5)
# Needs: the .NET SDK (ONNX Runtime comes as a NuGet package of the benchmark), and /usr/bin/python3 for the table.
set -euo pipefail

source "$(dirname "$0")/common.sh"
runs=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs)
      # At most 1000: each run takes at least 0.1 s per side, model, batch and thread count, so 1000 runs are 40 minutes.
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]{0,3}$ && "$2" -le 1000 ]] || { echo "compare-onnx.sh: --runs needs a whole number from 1 to 1000" >&2; exit 2; }
      runs="$2"; shift ;;
    *) echo "compare-onnx.sh: unknown argument '$1' (expected --runs N)" >&2; exit 2 ;;
  esac
  shift
done

build_bench

machine_line
echo ".NET SDK $(dotnet --version)"
echo

for threads in 1 2; do
  echo "running: Nabla onnx, NABLA_NUM_THREADS=$threads, ONNX Runtime --threads $threads ..." >&2
  NABLA_NUM_THREADS="$threads" dotnet "$bench_dll" onnx --threads "$threads" --runs "$runs" --json | tail -n 1 > "$results/onnx$threads.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

PYTHONPATH="$here" "$python" - "$results" <<'PY'
import json, os, sys
from anchor_health import AnchorHealth
results = sys.argv[1]
TARGET = 1.5
runs = {t: json.load(open(os.path.join(results, f"onnx{t}.json"))) for t in (1, 2)}
for t, run in runs.items():
    if run["threads"] != t or run["nabla_threads"] != t:
        sys.exit(f"compare-onnx.sh: the run at {t} thread(s) used {run['nabla_threads']} for Nabla and {run['threads']} for ONNX Runtime")
health = AnchorHealth(results, "ONNX Runtime (one-MatMul graph)", {t: run["ort_matmul_1024_gflops"] for t, run in runs.items()})

print(health.header())
print()
first = runs[1]
print(f"Serving, Float32, random weights: {first['system']} ModelFile.Predict against ONNX Runtime {first['onnxruntime']} "
      f"InferenceSession.Run on the exported graph (fixed batch, all graph optimisations, InterOpNumThreads 1), fetching the logits; "
      f"median of {first['runs']} runs of ≥ 100 ms; outputs checked to {first['tolerance']:g} first")
for model, architecture in dict((r["model"], r["architecture"]) for r in first["results"]).items():
    print(f"  {model}: {architecture}")
print()
print(f"{'model':<8} {'batch':>5} {'threads':>7} {'Nabla ms/batch':>14} {'ORT ms/batch':>12} {'ORT/Nabla':>9} {'Nabla rows/s':>12} {'ORT rows/s':>12} "
      f"{'ORT MatMul GFLOP/s':>18} {'ORT health':>10}")
verdicts = []
for index, r in enumerate(first["results"]):
    for t, run in runs.items():
        m = run["results"][index]
        ratio = m["ort_ms"] / m["nabla_ms"]
        print(f"{m['model']:<8} {m['batch']:>5} {t:>7} {m['nabla_ms']:>14.4f} {m['ort_ms']:>12.4f} {ratio:>9.2f} {m['nabla_rows_per_s']:>12,.0f} "
              f"{m['ort_rows_per_s']:>12,.0f} {run['ort_matmul_1024_gflops']:>18.1f} {'healthy' if health.healthy[t] else 'UNHEALTHY':>10}")
        if m["batch"] == 256:
            verdicts.append((m["model"], t, ratio, health.verdict(ratio >= 1 / TARGET, threads=(t,))))
print()
print(f"Target: Nabla within {TARGET}× of ONNX Runtime at batch 256 (ORT/Nabla ≥ {1 / TARGET:.2f})")
for model, t, ratio, verdict in verdicts:
    print(f"  {model}, {t} thread(s): ORT/Nabla {ratio:.2f}, Nabla {1 / ratio:.2f}× ONNX Runtime's time: {verdict}")
behind = [f"{model} at {t} thread(s) ({1 / ratio:.1f}× ONNX Runtime's time)" for model, t, ratio, _ in verdicts if ratio < 1 / TARGET]
print("Not within 1.5× at batch 256: " + (", ".join(behind) if behind else "none"))
PY
