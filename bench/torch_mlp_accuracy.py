"""The test accuracy of the anchors' MLP (784-256-128-10, ReLU, Adam lr 1e-3, batch 64) after 5 epochs on
Fashion-MNIST, for several seeds: one seed's figure moves by about half a point, so a comparison of
accuracies needs the spread. The training loop is the anchors' own (../shared/bench/anchors/torch_anchors.py).
Usage: /usr/bin/python3 bench/torch_mlp_accuracy.py [--seeds N] [--threads N]; prints one JSON line."""
import argparse, json, os, sys
import torch, torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("ANCHORS", os.path.join(here, "..", "..", "shared", "bench", "anchors")))
from common import fashion_mnist  # noqa: E402  (the anchors' loader, so the data are the same)

ap = argparse.ArgumentParser(); ap.add_argument("--seeds", type=int, default=3); ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args(); torch.set_num_threads(a.threads)
xtr, ytr, xte, yte = map(torch.from_numpy, fashion_mnist())
accuracies = []
for seed in range(a.seeds):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3); lossf = nn.CrossEntropyLoss(); g = torch.Generator().manual_seed(seed)
    for epoch in range(5):
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            opt.zero_grad(); lossf(model(xtr[idx]), ytr[idx]).backward(); opt.step()
    with torch.no_grad():
        accuracies.append(round((model(xte).argmax(1) == yte).float().mean().item(), 4))
print(json.dumps({"system": f"torch {torch.__version__}", "mlp_b64_5ep_test_acc": accuracies,
                  "mean": round(sum(accuracies) / len(accuracies), 4)}))
