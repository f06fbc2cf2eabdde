#!/usr/bin/env python3
"""Captum's integrated gradients, its default rule, for bench/compare-ig.sh.

Captum is not a Debian package, so this reproduces the algorithm of its IntegratedGradients.attribute
(captum/attr/_core/integrated_gradients.py, captum/attr/_utils/approximation_methods.py) in PyTorch, with
its defaults method="gausslegendre" and n_steps=50:
  alphas     = 0.5 * (1 + leggauss(n)[0])   (NumPy's Gauss-Legendre nodes mapped from [-1, 1] to [0, 1])
  step_sizes = 0.5 * leggauss(n)[1]
  the inputs scaled along the path, baseline + alpha * (input - baseline), one batch for all alphas;
  the target output's gradient (torch.autograd.grad); sum over the steps of gradient * step size
  (torch.tensor(step_sizes) of NumPy float64s, so Float64); times (input - baseline);
  the convergence delta = sum of the attributions - (F(input) - F(baseline)), per row.
Past 2,048 steps the nodes and weights come from other algorithms than leggauss (see LEGGAUSS_MAX), to
within 1e-9 of the same rule. Captum evaluates all rows and steps in one batch; here each row's steps are one batch (in chunks of at most
--chunk points when n is large, as Captum's internal_batch_size), which changes only the rounding.

The networks, their weights, the rows, the targets and the training mean come from the safetensors file that
`dotnet run -c Release --project bench/Nabla.Bench -- ig --export FILE` writes: each network is rebuilt as a
torch.nn.Sequential from the architecture JSON in the file's metadata, in Float64, the rows too.

Per network and baseline (zero, training mean) it measures the completeness error (|delta|, max and mean over
the rows) at n = 50, and the fewest n with which every row's error is below the target (1e-6): n doubles from
50 until every row passes (up to --max-steps), then bisection between the last n that failed and the first
that passed (or between 1 and 50) finds the smallest n, to within 5 % or 1 step, at which every row passes.
The error is not monotone in n (a jump of a ReLU network's gradient can fall near a node at one n and not at
the next), so that n is where the bisection lands, not necessarily the least n of all.
Gradient evaluations = n per row. Prints one JSON line.

Usage: /usr/bin/python3 bench/ig_anchor.py FILE [--target 1e-6] [--max-steps N] [--chunk N] [--threads N]
Needs Debian's python3-torch (sudo bash ../shared/bench/anchors/setup.sh installs it).
"""

import argparse
import json
import struct
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as e:
    print(f"ig_anchor.py: {e}; install PyTorch: sudo apt-get install python3-torch", file=sys.stderr)
    sys.exit(1)

DTYPES = {"F64": np.float64, "F32": np.float32, "I32": np.int32}


def read_safetensors(path):
    """The tensors (as NumPy arrays) and the string metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length])
    metadata = header.pop("__metadata__", {})
    body = data[8 + header_length:]
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        array = np.frombuffer(body[start:end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[name] = array.reshape(entry["shape"]).copy()
    return tensors, metadata


def build(architecture, state, prefix):
    """The torch.nn.Sequential of an architecture JSON, in Float64, with the exported weights."""
    spec = json.loads(architecture)
    layers = []
    for layer in spec["layers"]:
        kind = layer["kind"]
        if kind == "linear":
            layers.append(torch.nn.Linear(layer["in_features"], layer["out_features"]))
        elif kind == "conv2d":
            layers.append(torch.nn.Conv2d(layer["in_channels"], layer["out_channels"], layer["kernel_size"],
                                          layer["stride"], layer["padding"]))
        elif kind == "max_pool2d":
            layers.append(torch.nn.MaxPool2d(layer["kernel_size"], layer["stride"]))
        elif kind == "flatten":
            layers.append(torch.nn.Flatten())
        elif kind == "relu":
            layers.append(torch.nn.ReLU())
        elif kind == "tanh":
            layers.append(torch.nn.Tanh())
        else:
            raise ValueError(f"ig_anchor.py: layer kind '{kind}' of {prefix} is not supported here")
    model = torch.nn.Sequential(*layers).double()
    names = model.state_dict().keys()
    model.load_state_dict({name: torch.from_numpy(state[f"{prefix}.{name}"]) for name in names})
    model.eval()
    return model, spec["input_shape"]


# NumPy's leggauss finds the nodes as the eigenvalues of an n × n matrix: 8n² bytes (21 GB at n = 51,200) and
# O(n³) time, so Captum's own rule cannot be built on this machine for large n. Past LEGGAUSS_MAX points the same
# rule comes from Newton's method (O(n²) time), past NEWTON_MAX from the asymptotic formulas; each is checked
# against the one before at its limit in every run ("rule_check" in the JSON: the largest node difference and
# the summed weight difference, which bounds the change of the integral of any |f| ≤ 1).
LEGGAUSS_MAX, NEWTON_MAX = 2048, 16384


def legendre_newton(n):
    """The n-point Gauss–Legendre rule on [-1, 1] in O(n²) time and O(n) memory: Newton's method on Pₙ by its
    three-term recurrence, from Tricomi's estimate cos(π(i − ¼)/(n + ½)); the nodes ascending, as leggauss's."""
    half = (n + 1) // 2
    x = np.cos(np.pi * (np.arange(1, half + 1) - 0.25) / (n + 0.5))
    for _ in range(100):
        p_previous, p = np.ones_like(x), x.copy()
        for k in range(1, n):
            p_previous, p = p, ((2 * k + 1) * x * p - k * p_previous) / (k + 1)
        derivative = n * (x * p - p_previous) / (x * x - 1)
        step = p / derivative
        x = x - step
        if np.max(np.abs(step)) < 1e-15:
            break
    p_previous, p = np.ones_like(x), x.copy()
    for k in range(1, n):
        p_previous, p = p, ((2 * k + 1) * x * p - k * p_previous) / (k + 1)
    derivative = n * (x * p - p_previous) / (x * x - 1)
    weights = 2 / ((1 - x * x) * derivative * derivative)
    # x holds the nodes from near +1 down to the middle (0 itself when n is odd, not to be mirrored).
    return np.concatenate([-x[:n // 2], x[::-1]]), np.concatenate([weights[:n // 2], weights[::-1]])


def legendre_asymptotic(n):
    """The n-point Gauss–Legendre rule on [-1, 1] for large n, in O(n): Tricomi's nodes
    (1 − 1/(8n²) + 1/(8n³))·cos θₖ with θₖ = π(k − ¼)/(n + ½) (error O(n⁻⁴)) and the weights π·sin θₖ/(n + ½)
    (summed error O(n⁻²)), ascending."""
    theta = np.pi * (np.arange(1, n + 1) - 0.25) / (n + 0.5)
    return -(1 - 1 / (8 * n ** 2) + 1 / (8 * n ** 3)) * np.cos(theta), np.pi / (n + 0.5) * np.sin(theta)


_rules = {}


def gauss_legendre(n):
    """Captum's gauss_legendre_builders: (step_sizes, alphas) on [0, 1]."""
    if n not in _rules:
        if n <= LEGGAUSS_MAX:
            nodes, weights = np.polynomial.legendre.leggauss(n)
        else:
            nodes, weights = legendre_newton(n) if n <= NEWTON_MAX else legendre_asymptotic(n)
        _rules.clear()
        # Captum's lists of NumPy floats, as the Float64 tensors that it makes of them.
        _rules[n] = (torch.tensor(list(0.5 * weights)), torch.tensor(list(0.5 * (1 + nodes))))
    return _rules[n]


def rule_check():
    """How far Newton's rule is from leggauss's at LEGGAUSS_MAX points, and the asymptotic one from Newton's at NEWTON_MAX."""
    checks = {}
    for n, exact, other in ((LEGGAUSS_MAX, np.polynomial.legendre.leggauss, legendre_newton),
                            (NEWTON_MAX, legendre_newton, legendre_asymptotic)):
        (x, w), (y, v) = exact(n), other(n)
        checks[str(n)] = {"node": float(np.abs(x - y).max()), "weight_sum": float(np.abs(w - v).sum())}
    return checks


def completeness_error(model, x, baseline, target, n, chunk):
    """|Σ attributions − (F(x) − F(x'))| of one row by Captum's rule with n steps; x and baseline are (1, ...)."""
    step_sizes, alphas = gauss_legendre(n)
    total = torch.zeros_like(x)
    for start in range(0, n, chunk):
        part = alphas[start:start + chunk]
        # Captum's torch.cat([baseline + alpha * (input - baseline) for alpha in alphas]) as one broadcast: the
        # same operations on every element, without a Python loop over up to a million steps.
        alpha = part.view(-1, *([1] * (x.dim() - 1)))
        scaled = (baseline + alpha * (x - baseline)).requires_grad_()
        outputs = model(scaled)[:, target]
        (grads,) = torch.autograd.grad(torch.unbind(outputs), scaled)
        scaled_grads = grads.contiguous().view(len(part), -1) * step_sizes[start:start + chunk].view(len(part), 1)
        total += scaled_grads.sum(dim=0).view_as(x)
    attributions = total * (x - baseline)
    with torch.no_grad():
        difference = model(x)[0, target] - model(baseline)[0, target]
    return abs(float(attributions.sum() - difference))


def errors(model, rows, baseline, targets, n, chunk, order=None, stop_above=None):
    """Each row's completeness error at n steps; with stop_above, stops at the first row above it (rows in order)."""
    found = {}
    for r in (order if order is not None else range(len(rows))):
        found[r] = completeness_error(model, rows[r:r + 1], baseline, int(targets[r]), n, chunk)
        if stop_above is not None and found[r] >= stop_above:
            break
    return found


def fewest_steps(model, rows, baseline, targets, target, max_steps, chunk):
    """The n at which every row's error is below target, searched as the module's docstring says; None past max_steps."""
    order = list(range(len(rows)))

    def passes(n):
        found = errors(model, rows, baseline, targets, n, chunk, order, stop_above=target)
        print(f"ig_anchor.py:   {n} steps: {len(found)} rows tried, largest error {max(found.values()):.1e}", file=sys.stderr)
        # The rows that failed are tried first at the next n: a failure is found after one row, not a hundred.
        order.sort(key=lambda r: -found.get(r, 0.0))
        return all(e < target for e in found.values()) and len(found) == len(rows)

    failed, n = 0, 50
    while not passes(n):
        failed = n
        n *= 2
        if n > max_steps:
            return None
    passed = n
    while passed - failed > max(1, passed // 20):
        middle = (failed + passed) // 2
        if passes(middle):
            passed = middle
        else:
            failed = middle
    return passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--target", type=float, default=1e-6)
    parser.add_argument("--max-steps", type=int, default=1_638_400)
    parser.add_argument("--chunk", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    tensors, metadata = read_safetensors(args.file)
    results = []
    for name in metadata["networks"].split(","):
        model, input_shape = build(metadata[f"{name}.architecture"], tensors, name)
        rows = torch.from_numpy(tensors["rows"]).view(-1, *input_shape)
        targets = tensors[f"{name}.targets"]
        for description, baseline in (("zero", torch.zeros(1, *input_shape, dtype=torch.float64)),
                                      ("training mean", torch.from_numpy(tensors["training_mean"]).view(1, *input_shape))):
            print(f"ig_anchor.py: {name}, {description} baseline ...", file=sys.stderr)
            clock = time.perf_counter()
            at50 = list(errors(model, rows, baseline, targets, 50, args.chunk).values())
            seconds = time.perf_counter() - clock
            steps = fewest_steps(model, rows, baseline, targets, args.target, args.max_steps, args.chunk)
            results.append({
                "network": name, "baseline": description,
                "gl50_max_completeness": max(at50), "gl50_mean_completeness": sum(at50) / len(at50),
                "gl50_ms_per_row": 1000 * seconds / len(at50),
                "steps_needed": steps, "max_steps": args.max_steps,
            })
            print(f"ig_anchor.py: {name}, {description}: 50 steps max {max(at50):.1e}; steps needed {steps}", file=sys.stderr)
    print(json.dumps({"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(),
                      "rows": int(tensors["rows"].shape[0]), "rule_check": rule_check(), "target": args.target, "results": results}))


if __name__ == "__main__":
    main()
