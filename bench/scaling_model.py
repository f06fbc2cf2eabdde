"""The ring-allreduce cost model of docs/scaling.md: predicted data-parallel efficiency of Nabla's
MLP, CNN and text LSTM at 8, 64 and 256 ranks on 10, 25 and 100 Gb/s networks, and the per-rank
batch at which communication hides behind computation. Prints the Markdown tables of that page.

Model: one allreduce of the gradients (n bytes) per step over p ranks by a ring,
    T_comm = 2(p − 1)·α + 2(p − 1)/p · n / B,
with α the per-message cost (latency and software) and B the link bandwidth in bytes/s; one step of
a rank with b samples computes for T_comp = b / s, s the model's 1-thread training samples/s.
For a cluster of many ranks the ring's 2(p − 1) latency terms dominate; MPI libraries (Open MPI's
tuned allreduce among them) switch to Rabenseifner's recursive halving and doubling, with the same
bandwidth term and only 2·log2(p) latency terms; both are shown.
Nabla reduces the gradients after the backward pass (no overlap), so its efficiency is
    E = T_comp / (T_comp + T_comm),
and the batch that reaches E = 0.9 is b90 = 9·s·T_comm. With the reduction overlapped with the
backward pass (about 2/3 of a step), communication hides once (2/3)·T_comp ≥ T_comm: b_hide = 1.5·s·T_comm.

Usage: /usr/bin/python3 bench/scaling_model.py [--alpha-us A]   (A: α in µs; default 8.3, the TCP-loopback fit
of bench/allreduce-bandwidth.sh, see bench/README.md)
"""
import argparse
import math

# (name, parameters (float32 gradients), 1-thread training samples/s at batch 64, where the speed comes from)
MODELS = [
    ("MLP 784-256-128-10", 235_146, 51_029, "bench/README.md, Fashion-MNIST MLP b64, 1 thread"),
    ("CNN 16/32 (Fashion-MNIST)", 20_490, 5_739, "bench/README.md, CNN b64, 1 thread"),
    ("text LSTM (Embedding 2000×64, LSTM 128)", 227_586, 1_767, "bench/README.md, LSTM b64, 50 tokens, 1 thread"),
]
RANKS = [8, 64, 256]
NETWORKS_GBIT = [10, 25, 100]
BATCH = 64


def ring_seconds(n_bytes, p, alpha, bandwidth):
    return 2 * (p - 1) * alpha + 2 * (p - 1) / p * n_bytes / bandwidth


def halving_seconds(n_bytes, p, alpha, bandwidth):
    return 2 * math.log2(p) * alpha + 2 * (p - 1) / p * n_bytes / bandwidth


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alpha-us", type=float, default=8.3)
    alpha = parser.parse_args().alpha_us * 1e-6
    print(f"α = {alpha * 1e6:.0f} µs per message; efficiency at {BATCH} samples a rank a step, and the per-rank batch for 90 % (b90, no overlap) "
          "and for communication hidden behind the backward pass (b_hide, with overlap)")
    print()
    for name, params, speed, source in MODELS:
        n = 4 * params
        step = BATCH / speed
        print(f"**{name}**: {params:,} parameters ({n / 1e6:.2f} MB of gradients a step), {speed:,} samples/s a rank ({source}): "
              f"{step * 1e3:.2f} ms of computation a step at batch {BATCH}")
        print()
        print("| ranks | network | ring: T_comm | ring: E at b = 64 | halving: T_comm | halving: E at b = 64 | b90 (halving) | b_hide (halving) |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for p in RANKS:
            for gbit in NETWORKS_GBIT:
                ring = ring_seconds(n, p, alpha, gbit * 1e9 / 8)
                halving = halving_seconds(n, p, alpha, gbit * 1e9 / 8)
                print(f"| {p} | {gbit} Gb/s | {ring * 1e3:.2f} ms | {step / (step + ring):.0%} | {halving * 1e3:.2f} ms | {step / (step + halving):.0%} "
                      f"| {9 * speed * halving:,.0f} | {1.5 * speed * halving:,.0f} |")
        print()


if __name__ == "__main__":
    main()
