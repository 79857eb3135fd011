"""Reference solution of examples/exercises/backprop.py: a one-hidden-layer network's forward
pass, mean binary cross-entropy and backward pass in NumPy, float64, written out by hand.

    python3 examples/exercises/solutions/backprop.py MODEL.json DATA.csv > mine.json
    npx handgrad check-grads --model MODEL.json --data DATA.csv --grads mine.json

Prints {"loss": L, "grads": {"W1", "b1", "W2", "b2"}} as `handgrad grad` does. Reads a
handgrad model file with a sigmoid output and a CSV whose header row names the columns, the
features in the model's order and a numeric 0/1 label last (docs/exercises.md).
"""
import json
import sys

import numpy as np

LEAKY_SLOPE = 0.01  # handgrad's leaky relu: f(z) = z for z > 0, 0.01 z otherwise


def sigmoid(z):
    """σ(z) = 1/(1 + e^−z), as e^z/(1 + e^z) for z < 0 so that exp never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softplus(z):
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|), exact for large |z|."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


# The hidden activation f and its derivative f′, by name (docs/derivation.md §4).
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "leaky-relu": (
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
    ),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * sigmoid(-z)),
}


def forward(X, W1, b1, W2, b2, f):
    """z1 = X W1 + b1 (N×H), a1 = f(z1), z2 = a1 W2 + b2 (N×1), p = σ(z2)."""
    z1 = X @ W1 + b1
    a1 = f(z1)
    z2 = a1 @ W2 + b2
    p = sigmoid(z2)
    return z1, a1, z2, p


def loss(z2, y):
    """L = (1/N) Σ_n [softplus(z2_n) − y_n z2_n], the mean binary cross-entropy from the logit."""
    return float(np.mean(softplus(z2) - y * z2))


def backward(X, y, W2, z1, a1, p, df):
    """The four gradients of L, by the chain rule (docs/derivation.md §3)."""
    N = X.shape[0]
    dz2 = (p - y) / N  # N×1, δ2 = ∂L/∂z2 = (p − y)/N
    dW2 = a1.T @ dz2  # H×1, ∂L/∂W2 = a1ᵀ δ2
    db2 = dz2.sum(axis=0)  # 1, ∂L/∂b2 = Σ_n δ2
    da1 = dz2 @ W2.T  # N×H, ∂L/∂a1 = δ2 W2ᵀ
    dz1 = da1 * df(z1)  # N×H, δ1 = (δ2 W2ᵀ) ⊙ f′(z1)
    dW1 = X.T @ dz1  # D×H, ∂L/∂W1 = Xᵀ δ1
    db1 = dz1.sum(axis=0)  # H, ∂L/∂b1 = Σ_n δ1
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def gradients(X, y, W1, b1, W2, b2, activation):
    """The loss and the four gradients at (W1, b1, W2, b2) on (X, y)."""
    f, df = ACTIVATIONS[activation]
    z1, a1, z2, p = forward(X, W1, b1, W2, b2, f)
    return loss(z2, y), backward(X, y, W2, z1, a1, p, df)


def load(model_path, data_path):
    """The model's parameters and activation, and the CSV's features X (N×D) and labels y (N×1)."""
    with open(model_path) as file:
        model = json.load(file)
    if model.get("output", "sigmoid") != "sigmoid":
        sys.exit("this exercise is the sigmoid (binary) network")
    W1, W2 = np.array(model["W1"], float), np.array(model["W2"], float)
    b1, b2 = np.array(model["b1"], float), np.array(model["b2"], float)
    data = np.loadtxt(data_path, delimiter=",", skiprows=1, ndmin=2)
    X, y = data[:, :-1], data[:, -1:]
    if "standardize" in model:  # the model was trained on standardised features
        X = (X - np.array(model["standardize"]["mean"])) / np.array(model["standardize"]["std"])
    return X, y, W1, b1, W2, b2, model["activation"]


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: backprop.py MODEL.json DATA.csv > mine.json")
    X, y, W1, b1, W2, b2, activation = load(argv[1], argv[2])
    L, grads = gradients(X, y, W1, b1, W2, b2, activation)
    # repr-exact floats: json writes the shortest text that reads back to the same float64
    print(json.dumps({"loss": L, "grads": {k: v.tolist() for k, v in grads.items()}}, indent=2))


if __name__ == "__main__":
    main(sys.argv)
