"""Runs a PyTorch anchor script in this process and prints its JSON line with two figures added:
PyTorch's own SGEMM 1024² in GFLOP/s, measured right after the workload with the same thread
settings (the anchor health figure; kept as the anchor measured it when it does), and the peak
resident memory of the process. Run it from the anchors' folder, with the thread settings the
anchor is to use.
Usage: /usr/bin/python3 torch_anchor_run.py SCRIPT [ANCHOR ARGUMENTS...]   (prints one JSON line)
"""
import contextlib, io, json, os, resource, runpy, sys

sys.path.insert(0, os.getcwd())  # the anchors' folder, for their `common` module
script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    runpy.run_path(script, run_name="__main__")
result = json.loads(out.getvalue().strip().splitlines()[-1])

import torch  # noqa: E402  (the anchor imported it already, with its thread settings)
from common import median_time  # noqa: E402

if "sgemm_1024_gflops" not in result:
    n = 1024
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    reps = max(1, int(2e9 / (2 * n ** 3)))
    med, _, _ = median_time(lambda: [a @ b for _ in range(reps)])
    result["sgemm_1024_gflops"] = round(2 * n ** 3 * reps / med / 1e9, 1)
result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(result))
