"""The NumPy float64 peer: the same network, loss and plain mini-batch SGD as handgrad.

    z1 = X W1 + b1 (B×H), a1 = f(z1), z2 = a1 W2 + b2 (B×1), p = σ(z2)
    L  = mean over the batch of softplus(z2) − y z2           (binary cross-entropy from the logit)
    dz2 = (p − y) / B, dW2 = a1ᵀ dz2, db2 = Σ dz2, dz1 = (dz2 W2ᵀ) ⊙ f'(z1),
    dW1 = Xᵀ dz1, db1 = Σ dz1, θ ← θ − η dθ

Usage: python3 numpy_mlp.py FILE SPEC_JSON. FILE (written by workloads.mjs exportForNumpy)
holds float64 values: X (N×D), y (N), W1 (D×H), b1 (H), W2 (H), b2 (1), then the row order of
every epoch (epochs×N) unless the batch is the whole set. Prints one JSON line.
"""

import json
import resource
import sys
import time

import numpy as np


def main() -> None:
    path, spec_text = sys.argv[1], sys.argv[2]
    spec = json.loads(spec_text)
    N, D, H, epochs, lr = spec["N"], spec["D"], spec["H"], spec["epochs"], spec["learningRate"]
    B = N if spec["batch"] == "full" else min(spec["batch"], N)
    values = np.fromfile(path, dtype="<f8")
    sizes = [N * D, N, D * H, H, H, 1]
    parts = np.split(values, np.cumsum(sizes))
    X = parts[0].reshape(N, D)
    y = parts[1].reshape(N, 1)
    W1 = parts[2].reshape(D, H).copy()
    b1 = parts[3].reshape(1, H).copy()
    W2 = parts[4].reshape(H, 1).copy()
    b2 = parts[5].reshape(1, 1).copy()
    orders = parts[6].astype(np.int64).reshape(epochs, N) if B < N else None

    if spec["activation"] == "tanh":
        f = np.tanh
        df = lambda z, a: 1.0 - a * a  # noqa: E731: f'(z) = 1 − tanh(z)²
    else:
        f = lambda z: np.maximum(z, 0.0)  # noqa: E731
        df = lambda z, a: (z > 0.0).astype(np.float64)  # noqa: E731

    def forward(Xb):
        z1 = Xb @ W1 + b1
        a1 = f(z1)
        z2 = a1 @ W2 + b2
        return z1, a1, z2

    def bce(z2, yb):  # mean of softplus(z) − y z, stable for any z
        return float(np.mean(np.logaddexp(0.0, z2) - yb * z2))

    start = time.perf_counter()
    for epoch in range(epochs):
        for s in range(0, N, B):
            if orders is None:
                Xb, yb = X, y
            else:
                rows = orders[epoch, s : s + B]
                Xb, yb = X[rows], y[rows]
            z1, a1, z2 = forward(Xb)
            loss = bce(z2, yb)
            p = 1.0 / (1.0 + np.exp(-np.clip(z2, -700.0, 700.0)))
            dz2 = (p - yb) / Xb.shape[0]
            dW2 = a1.T @ dz2
            db2 = dz2.sum(axis=0, keepdims=True)
            dz1 = (dz2 @ W2.T) * df(z1, a1)
            dW1 = Xb.T @ dz1
            db1 = dz1.sum(axis=0, keepdims=True)
            W1 -= lr * dW1
            b1 -= lr * db1
            W2 -= lr * dW2
            b2 -= lr * db2
            if not np.isfinite(loss):
                raise SystemExit("numpy_mlp: the loss became non-finite")
    seconds = time.perf_counter() - start

    _, _, z2 = forward(X)
    p = 1.0 / (1.0 + np.exp(-np.clip(z2, -700.0, 700.0)))
    print(
        json.dumps(
            {
                "workload": spec.get("name"),
                "examples": N,
                "epochs": epochs,
                "seconds": seconds,
                "examplesPerSecond": N * epochs / seconds,
                "finalLoss": bce(z2, y),
                "accuracy": float(np.mean((p >= 0.5) == (y == 1.0))),
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
