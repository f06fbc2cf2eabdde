#!/usr/bin/env bash
# The command line's text models with their default settings, as a user runs them: `nabla train
# --data debian-packages.csv --target section --text description --drop package --model M --seed S`
# for each model and seed, printing each run's test accuracy (on the 20 % of the packages it never
# saw), the mean over the seeds, and the training seconds. Issue 16's targets: the best text model
# ≥ 0.78, lstm ≥ 0.72.
#
# Usage: bench/text-accuracy-command.sh [--models "svm lstm ..."] [--seeds "0 1 2"] [--data FILE]
#   default models: svm logistic bow lstm gru rnn; seeds 0 1 2; data: the repository's
#   examples/data/debian-packages.csv
# Needs: the .NET SDK and /usr/bin/python3 (to read the JSON lines).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="svm logistic bow lstm gru rnn"
seeds="0 1 2"
data="$root/examples/data/debian-packages.csv"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "text-accuracy-command.sh: unknown argument '$1'; expected --models, --seeds or --data" >&2; exit 2 ;;
  esac
done

source "$root/bench/common.sh"
build_cli

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg); data $(basename "$data")"
echo
echo "| model | $(for s in $seeds; do printf 'seed %s | ' "$s"; done)mean | seconds (each seed) |"
echo "| --- | $(for s in $seeds; do printf -- '--- | '; done)--- | --- |"
for model in $models; do
  accuracies=()
  seconds=()
  for seed in $seeds; do
    dotnet "$cli" train --data "$data" --target section --text description --drop package --model "$model" \
      --seed "$seed" --json --out "$work/model.safetensors" > "$work/run.json"
    read -r accuracy time < <(/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["test"]["accuracy"], d["seconds"])' "$work/run.json")
    accuracies+=("$accuracy")
    seconds+=("$time")
  done
  /usr/bin/python3 - "$model" "${#accuracies[@]}" "${accuracies[@]}" "${seconds[@]}" <<'PY'
import sys
model, n = sys.argv[1], int(sys.argv[2])
accuracies = [float(a) for a in sys.argv[3:3 + n]]
seconds = [float(s) for s in sys.argv[3 + n:]]
print(f"| {model} | " + " | ".join(f"{a:.4f}" for a in accuracies) + f" | {sum(accuracies) / n:.4f} | " + " · ".join(f"{s:.1f}" for s in seconds) + " |")
PY
done
