"""The anchor health rule of bench/compare*.sh, imported by their reports (PYTHONPATH=bench).

A ratio against an anchor is only as honest as the anchor's own speed: an anchor whose BLAS runs
below its potential (wrong kernels, too few threads, a busy core) makes Nabla look fast. So every
report measures the anchor's own SGEMM 1024² in the anchor's environment and calls the anchor
healthy at a thread count when that reaches at least half of this CPU's measured Float32 FMA peak
(the `peak` runner, saved by common.sh's machine_line) at that thread count. A verdict against an
anchor that is unhealthy at any thread count it draws on is "not judged", never "met".
"""
import json
import os

HEALTHY_SHARE = 0.5


class AnchorHealth:
    """The anchor's health at each thread count, its header block and the verdicts that depend on it."""

    def __init__(self, results, anchor, sgemm_1024_gflops):
        """results: the folder with machine.txt and peak.json; anchor: its name in the lines;
        sgemm_1024_gflops: {threads: the anchor's own SGEMM 1024² GFLOP/s at that setting}."""
        with open(os.path.join(results, "machine.txt"), encoding="utf-8") as f:
            self.machine = f.read().strip()
        with open(os.path.join(results, "peak.json"), encoding="utf-8") as f:
            self.peak = {int(t): g for t, g in json.load(f)["gflops"].items()}
        self.lines, self.healthy = {}, {}
        for threads, gflops in sorted(sgemm_1024_gflops.items()):
            self.lines[threads], self.healthy[threads] = self._judge(anchor, gflops, threads)

    def _judge(self, anchor, gflops, threads):
        # An anchor told to use T threads may use more (Debian's PyTorch 1.13 leaves OpenBLAS its own
        # threads): a rate above T threads' peak shows it, and it is then judged at the smallest
        # measured thread count whose peak covers the rate.
        used = next((t for t in sorted(self.peak) if t >= threads and self.peak[t] >= gflops), max(self.peak))
        peak = self.peak[used]
        share = gflops / peak
        healthy = share >= HEALTHY_SHARE
        note = ""
        if used > threads:
            note = (f" (it used more than {threads} thread(s): above {threads} thread(s)' peak "
                    f"{self.peak[threads]:.1f}, so judged at {used} threads)")
        return (f"anchor health: {anchor} SGEMM 1024² {gflops:.1f} GFLOP/s at {threads} thread(s){note} = "
                f"{100 * share:.0f} % of this CPU's measured peak {peak:.1f}: "
                f"{'healthy' if healthy else 'UNHEALTHY (below half)'}"), healthy

    def header(self):
        """The CPU line and the anchor's SGEMM line at each thread count, for the top of a table."""
        return "\n".join([self.machine] + [self.lines[t] for t in sorted(self.lines)])

    def verdict(self, met, threads=(1, 2)):
        """"met" / "NOT met" when the anchor is healthy at every one of threads, else "not judged"."""
        if all(self.healthy[t] for t in threads):
            return "met" if met else "NOT met"
        return "not judged: anchor unhealthy"
