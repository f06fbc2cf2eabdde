"""NumPy's Float32 SGEMM 1024² in GFLOP/s, the health figure of the scikit-learn anchors
(bench/compare-estimators.sh runs it with the anchors' BLAS thread settings).
Usage: /usr/bin/python3 bench/numpy_sgemm_anchor.py ANCHORS_DIR   (prints one JSON line)

It imports the anchors' common.py first, so it restarts itself without OPENBLAS_CORETYPE /
OPENBLAS_L2_SIZE exactly as the anchors do, and times the product as torch_anchors.py times
PyTorch's: about 2 GFLOP per timing, the median of three.
"""
import json, sys
sys.path.insert(0, sys.argv[1])
import common  # noqa: E402  (the import restarts the process at its best, as the anchors')
import numpy as np  # noqa: E402

common.check_blas()
n = 1024
rng = np.random.default_rng(0)
a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
a @ b
reps = max(1, int(2e9 / (2 * n ** 3)))
median, _, _ = common.median_time(lambda: [a @ b for _ in range(reps)])
print(json.dumps({"system": f"NumPy {np.__version__}", "sgemm_1024_gflops": round(2 * n ** 3 * reps / median / 1e9, 1)}))
