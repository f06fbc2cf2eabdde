#!/usr/bin/env bash
# MPI allreduce bandwidth between 2 processes of this machine, through Nabla's MpiCommunicator:
# float sums of 1 KB to 64 MB (powers of 4), over shared memory (Open MPI's vader transport) and
# over TCP on the loopback interface (the path a cluster's network takes), each as a table of size,
# time per allreduce and algorithm bandwidth (bytes / time), with the cost model t(n) = α + β·n
# fitted to it (α in µs, 1/β in GB/s). All traffic stays on the loopback interface.
#
# Usage: bench/allreduce-bandwidth.sh [--seconds S]   (S: the length of one timed batch, default 0.3)
# Needs: the .NET SDK and Open MPI (apt-get install openmpi-bin).
set -euo pipefail

source "$(dirname "$0")/common.sh"
command -v mpirun >/dev/null || { echo "allreduce-bandwidth.sh: mpirun is not on PATH; install openmpi-bin" >&2; exit 1; }
build_bench

# mpirun refuses root unless both are set; for any other user they change nothing.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# The ranks' output passes through a terminal-like channel; a dumb terminal keeps .NET's escape codes out of it.
export TERM=dumb
mpi=(mpirun -np 2 --oversubscribe --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo)

echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | cut -d: -f2 | sed 's/^ *//'), $(mpirun --version | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for transport in vader tcp; do
  echo
  echo "transport: $transport (--mca btl $transport,self)"
  "${mpi[@]}" --mca btl "$transport,self" dotnet "$bench_dll" allreduce-bandwidth "$@" </dev/null
done
