# Shared by the compare*.sh scripts (source it; do not run it): where the repository, the anchor
# scripts and Python are, the checks that the anchors can run, the Release build of Nabla.Bench,
# a results folder removed on exit, the machine line every report starts with (with this CPU's
# measured peak, which anchor_health.py judges the anchors by), the busy-loop competitors of a
# contended run, and the --full and --runs options they share.
# ANCHORS=dir overrides where the anchor scripts are.

here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
anchors="${ANCHORS:-$here/../../shared/bench/anchors}"
python=/usr/bin/python3

# require_anchor SCRIPT FILE MODULE HINT: exits 1, naming SCRIPT, unless the anchor FILE exists and
# Python can import MODULE (HINT says how to install it).
require_anchor() {
  if [[ ! -f "$anchors/$2" ]]; then
    echo "$1: no $2 in $anchors; set ANCHORS=dir" >&2
    exit 1
  fi
  if ! "$python" -c "import $3" 2>/dev/null; then
    echo "$1: $python cannot import $3; install it first: $4" >&2
    exit 1
  fi
  anchor_coretype
}

# build_bench: builds Nabla.Bench in Release (showing the log only on failure), sets bench_dll to
# its assembly and results to a fresh folder; on exit, also on Ctrl-C, SIGTERM or an error, the
# folder is deleted and any competitor still running is stopped.
build_bench() {
  local build_log
  if ! build_log="$(dotnet build "$root/bench/Nabla.Bench" -c Release -nologo 2>&1)"; then
    echo "$build_log" >&2
    exit 1
  fi
  bench_dll="$(find "$root/bench/Nabla.Bench/bin/Release" -name Nabla.Bench.dll -path '*net10.0*' | head -n 1)"
  results="$(mktemp -d)"
  trap 'stop_competitors; rm -rf "$results"' EXIT
  # A signal ends the script through the EXIT trap, so the competitors never outlive it.
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# build_cli: builds the nabla command in Release (showing the log only on failure), sets cli to its
# assembly and work to a fresh folder, deleted on exit.
build_cli() {
  local build_log
  if ! build_log="$(dotnet build "$root/src/Nabla.Cli" -c Release -nologo 2>&1)"; then
    echo "$build_log" >&2
    exit 1
  fi
  cli="$root/src/Nabla.Cli/bin/Release/net10.0/Nabla.Cli.dll"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
}

# machine_line: the cores, the CPU model and its vector ISA (from /proc/cpuinfo's flags), the load
# average, and this CPU's Float32 FMA peak at 1 and 2 threads, measured once by the `peak` runner
# (needs build_bench). Keeps the runner's JSON in $results/peak.json and the line in
# $results/machine.txt, for anchor_health.py.
machine_line() {
  local flags isa
  flags="$(grep -m1 '^flags' /proc/cpuinfo)"
  if [[ " $flags " == *" avx512f "* ]]; then isa="AVX-512"
  elif [[ " $flags " == *" avx2 "* ]]; then isa="AVX2"
  else isa="no AVX2"
  fi
  dotnet "$bench_dll" peak --json | tail -n 1 > "$results/peak.json"
  "$python" - "$results/peak.json" \
    "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($isa), load average $(cut -d' ' -f1-3 /proc/loadavg)" \
    <<'PY' | tee "$results/machine.txt"
import json, sys
peak = json.load(open(sys.argv[1]))
print(f"machine: {sys.argv[2]}; measured Float32 FMA peak ({peak['isa']}, {peak['lanes']} lanes): "
      + ", ".join(f"{t} thread(s) {g:.1f} GFLOP/s" for t, g in peak["gflops"].items()))
PY
}

# torch_versions_line: PyTorch's and the .NET SDK's versions, one line, then a blank line.
torch_versions_line() {
  echo "$("$python" -c 'import torch; print("torch", torch.__version__)'), $(dotnet --version | sed 's/^/.NET SDK /')"
  echo
}

# with_blas_threads N COMMAND...: runs COMMAND with NumPy's and scikit-learn's BLAS limited to N
# threads, as the scikit-learn anchors run, and with OpenBLAS on its best kernels (anchor_coretype).
with_blas_threads() {
  local threads="$1"; shift
  anchor_coretype
  if [[ -n "$coretype" ]]; then
    OPENBLAS_CORETYPE="$coretype" ANCHOR_KEEP_OPENBLAS_ENV=1 OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" "$@"
  else
    OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" "$@"
  fi
}

# anchor_coretype: sets coretype (once) to the OpenBLAS kernels the anchors must be given, or to nothing when
# OpenBLAS's own choice is right. OpenBLAS picks its kernels from the CPU model; on a model it does not know (a
# virtual machine's generic "Intel(R) Xeon(R) Processor") it falls back to its SSE3 "Prescott" kernels, measured
# at 18 % of such a CPU's peak, which would make every ratio against the anchors a false win. Then the kernels the
# CPU's flags allow are named (SkylakeX with AVX-512, Haswell with AVX2), with ANCHOR_KEEP_OPENBLAS_ENV=1 so the
# anchors' common.py keeps them; its check_blas still verifies the results, and the health line judges the speed.
anchor_coretype() {
  [[ -n "${coretype_probed:-}" ]] && return
  coretype_probed=1
  coretype=""
  local chosen flags
  chosen="$(OPENBLAS_NUM_THREADS=1 "$python" -c 'import numpy; from threadpoolctl import threadpool_info; print(next((i.get("architecture") or "" for i in threadpool_info() if i["internal_api"] == "openblas"), ""))' 2>/dev/null || true)"
  [[ "$chosen" == Prescott ]] || return 0
  flags="$(grep -m1 '^flags' /proc/cpuinfo)"
  if [[ " $flags " == *" avx512f "* ]]; then coretype=SkylakeX
  elif [[ " $flags " == *" avx2 "* ]]; then coretype=Haswell
  fi
  [[ -z "$coretype" ]] || echo "anchors: OpenBLAS does not know this CPU and chose its generic Prescott (SSE3) kernels; the anchors run with OPENBLAS_CORETYPE=$coretype, which the CPU's flags allow" >&2
}

# side_by_side SCRIPT RUNNER: at 1 and 2 threads, the PyTorch anchor SCRIPT (through
# bench/torch_anchor_run.py, with PyTorch's and its BLAS's threads both set to the count) and then
# Nabla's RUNNER straight after; their JSON lines go to $results/torchN.json and $results/nablaN.json.
side_by_side() {
  local script="$1" runner="$2" threads
  for threads in 1 2; do
    echo "running: PyTorch $script, $threads thread(s) ..." >&2
    (cd "$anchors" && with_blas_threads "$threads" "$python" "$here/torch_anchor_run.py" "$script" --threads "$threads" $quick) \
      | tail -n 1 > "$results/torch$threads.json"
    echo "running: Nabla $runner, NABLA_NUM_THREADS=$threads ..." >&2
    NABLA_NUM_THREADS="$threads" dotnet "$bench_dll" "$runner" --json --runs "$runs" $quick | tail -n 1 > "$results/nabla$threads.json"
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
}

# start_competitors: one CPU-bound busy loop per core, for a contended run; their ids go to
# competitors, and stop_competitors (also run on exit) ends them.
competitors=()
start_competitors() {
  local core
  for ((core = 0; core < $(nproc); core++)); do
    sh -c 'while :; do :; done' &
    competitors+=("$!")
  done
}

stop_competitors() {
  if [[ ${#competitors[@]} -gt 0 ]]; then
    kill "${competitors[@]}" 2>/dev/null || true
    wait "${competitors[@]}" 2>/dev/null || true
    competitors=()
  fi
}

# parse_full_runs SCRIPT ARGS...: the options the anchor comparisons share; sets quick ("--quick",
# or empty with --full) and runs (--runs N, default 3), and exits 2 naming SCRIPT on anything else.
parse_full_runs() {
  local script="$1"; shift
  quick="--quick"
  runs=3
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --full) quick="" ;;
      --runs)
        [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "$script: --runs needs a positive whole number" >&2; exit 2; }
        runs="$2"; shift ;;
      *) echo "$script: unknown argument '$1' (expected --full or --runs N)" >&2; exit 2 ;;
    esac
    shift
  done
}
