"""The NumPy float64 peer: the same network, loss and plain mini-batch SGD as handgrad.

    z1 = X W1 + b1 (B×H), a1 = f(z1), z2 = a1 W2 + b2 (B×1), p = σ(z2)
    L  = mean over the batch of softplus(z2) − y z2           (binary cross-entropy from the logit)
    dz2 = (p − y) / B, dW2 = a1ᵀ dz2, db2 = Σ dz2, dz1 = (dz2 W2ᵀ) ⊙ f'(z1),
    dW1 = Xᵀ dz1, db1 = Σ dz1, θ ← θ − η dθ

Usage: python3 numpy_mlp.py FILE SPEC_JSON. FILE (written by workloads.mjs exportForNumpy)
holds float64 values: X (N×D), y (N), W1 (D×H), b1 (H), W2 (H), b2 (1), then the row order of
every epoch (epochs×N) unless the batch is the whole set. SPEC_JSON is the workload's spec plus
"repeat" (R), "budget" (seconds) and "threads" (OpenBLAS threads, handgrad's count).

It trains 1 + R times in this process, each run from the file's weights and with its batches,
timing the loop and the loss on all rows before the first and after the last epoch (the work
handgrad's timed train() call does: it records epoch 0 and the last); the first run is the cold
one (OpenBLAS's threads starting, first-touch memory), the others the steady state; once "budget" seconds of training are spent no further
run starts, but there is always at least one steady-state run (as bench/workloads.mjs
timedRuns). Every run does the same arithmetic, so their final losses must be equal: it exits
with an error if they are not. Prints one JSON line.
"""

import json
import os
import resource
import sys
import time


def main() -> None:
    path, spec_text = sys.argv[1], sys.argv[2]
    spec = json.loads(spec_text)
    # OpenBLAS reads its thread count once, when NumPy loads it: set it first.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(spec["threads"])
    import numpy as np

    N, D, H, epochs, lr = spec["N"], spec["D"], spec["H"], spec["epochs"], spec["learningRate"]
    B = N if spec["batch"] == "full" else min(spec["batch"], N)
    values = np.fromfile(path, dtype="<f8")
    sizes = [N * D, N, D * H, H, H, 1]
    parts = np.split(values, np.cumsum(sizes))
    X = parts[0].reshape(N, D)
    y = parts[1].reshape(N, 1)
    start_params = (
        parts[2].reshape(D, H),
        parts[3].reshape(1, H),
        parts[4].reshape(H, 1),
        parts[5].reshape(1, 1),
    )
    orders = parts[6].astype(np.int64).reshape(epochs, N) if B < N else None

    if spec["activation"] == "tanh":
        f = np.tanh
        df = lambda z, a: 1.0 - a * a  # noqa: E731: f'(z) = 1 − tanh(z)²
    else:
        f = lambda z: np.maximum(z, 0.0)  # noqa: E731
        df = lambda z, a: (z > 0.0).astype(np.float64)  # noqa: E731

    def forward(Xb, W1, b1, W2, b2):
        z1 = Xb @ W1 + b1
        a1 = f(z1)
        z2 = a1 @ W2 + b2
        return z1, a1, z2

    def bce(z2, yb):  # mean of softplus(z) − y z, stable for any z
        return float(np.mean(np.logaddexp(0.0, z2) - yb * z2))

    def train(W1, b1, W2, b2):  # in place
        for epoch in range(epochs):
            for s in range(0, N, B):
                if orders is None:
                    Xb, yb = X, y
                else:
                    rows = orders[epoch, s : s + B]
                    Xb, yb = X[rows], y[rows]
                z1, a1, z2 = forward(Xb, W1, b1, W2, b2)
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

    runs, losses, spent = [], [], 0.0
    i = 0
    while i <= spec["repeat"] and (i < 2 or spent < spec["budget"]):
        params = [w.copy() for w in start_params]
        start = time.perf_counter()
        _, _, z2 = forward(X, *params)  # the loss on all rows before the first epoch, as
        bce(z2, y)  # handgrad's train() records it (evaluate: "first-and-last")
        train(*params)
        _, _, z2 = forward(X, *params)  # and after the last epoch
        losses.append(bce(z2, y))
        seconds = time.perf_counter() - start
        spent += seconds
        if losses[-1] != losses[0]:
            raise SystemExit(
                f"numpy_mlp: run {i} ended with loss {losses[-1]!r}, the cold run with "
                f"{losses[0]!r}: not the same work"
            )
        runs.append(
            {
                "phase": "cold" if i == 0 else "steady",
                "seconds": seconds,
                "examplesPerSecond": N * epochs / seconds,
            }
        )
        i += 1

    p = 1.0 / (1.0 + np.exp(-np.clip(z2, -700.0, 700.0)))
    print(
        json.dumps(
            {
                "workload": spec.get("name"),
                "examples": N,
                "epochs": epochs,
                "seconds": runs[0]["seconds"],
                "examplesPerSecond": runs[0]["examplesPerSecond"],
                "runs": runs,
                "finalLoss": losses[0],
                "accuracy": float(np.mean((p >= 0.5) == (y == 1.0))),
                "threads": spec["threads"],
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
