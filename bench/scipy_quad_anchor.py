#!/usr/bin/env python3
"""SciPy anchor for `dotnet run -c Release --project bench/Nabla.Bench -- integrate`.

Times scipy.integrate.quad on the integrals of tools/fixtures/scipy_quad.py (the same cases, the
same lambdified integrands, the same tolerances as the test fixture) and prints one JSON document:
{"scipy": version, "python": version, "cases": [{"name", "value", "abserr", "neval", "us_per_call"}]}.
us_per_call is the median over --repeats batches of the mean time of one quad call in a batch of
about 0.05 s (time.perf_counter), after one warm-up batch.

Usage: /usr/bin/python3 bench/scipy_quad_anchor.py [--repeats N] [--quick]
Needs Debian's python3-scipy and python3-sympy.
"""

import json
import os
import platform
import statistics
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools", "fixtures"))

try:
    import scipy
    from scipy import integrate
    import scipy_quad as fixture
except ImportError as e:
    print(f"scipy_quad_anchor.py: {e}; install SciPy and SymPy: sudo apt-get install -y python3-scipy python3-sympy",
          file=sys.stderr)
    sys.exit(1)


def time_calls(call, repeats, batch_seconds=0.05):
    calls = 1
    while True:  # calibrate the batch size (this also warms up)
        start = time.perf_counter()
        for _ in range(calls):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= batch_seconds:
            break
        calls = max(calls * 2, int(calls * batch_seconds / max(elapsed, 1e-9)))
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        per_call.append((time.perf_counter() - start) / calls)
    return statistics.median(per_call) * 1e6


def main():
    repeats = 7
    args = sys.argv[1:]
    if "--quick" in args:
        repeats = 3
    if "--repeats" in args:
        repeats = int(args[args.index("--repeats") + 1])
    warnings.simplefilter("ignore")
    cases = []
    for name, expr, a, b in fixture.CASES:
        a, b = fixture.sp.sympify(a), fixture.sp.sympify(b)
        f, value, abserr, info, _ = fixture.scipy_quad(expr, a, b)
        lo, hi = fixture.bound_float(a), fixture.bound_float(b)

        def call():
            integrate.quad(f, lo, hi, epsabs=fixture.EPSABS, epsrel=fixture.EPSREL, full_output=1)

        cases.append({"name": name, "value": value, "abserr": abserr, "neval": int(info["neval"]),
                      "us_per_call": time_calls(call, repeats)})
    print(json.dumps({"scipy": scipy.__version__, "python": platform.python_version(), "cases": cases}))


if __name__ == "__main__":
    main()
