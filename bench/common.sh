# Shared by the compare*.sh scripts (source it; do not run it): where the repository, the anchor
# scripts and Python are, the checks that the anchors can run, the Release build of Nabla.Bench,
# a results folder removed on exit, the machine line every report starts with, and the --full and
# --runs options they share.
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
}

# build_bench: builds Nabla.Bench in Release (showing the log only on failure), sets bench_dll to
# its assembly and results to a fresh folder deleted when the script exits.
build_bench() {
  local build_log
  if ! build_log="$(dotnet build "$root/bench/Nabla.Bench" -c Release -nologo 2>&1)"; then
    echo "$build_log" >&2
    exit 1
  fi
  bench_dll="$(find "$root/bench/Nabla.Bench/bin/Release" -name Nabla.Bench.dll -path '*net10.0*' | head -n 1)"
  results="$(mktemp -d)"
  trap 'rm -rf "$results"' EXIT
}

# machine_line: the cores, the CPU model and the load average, to judge how quiet the run was.
machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
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
