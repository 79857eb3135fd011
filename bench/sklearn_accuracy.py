"""scikit-learn's defaults on the splits of handgrad's accuracy experiment.

For every data set and run in SPLITS (bench/accuracy/splits.json, written by
bench/accuracy.mjs from src/experiments/accuracy.ts), fits

    make_pipeline(StandardScaler(), MLPClassifier(random_state=seed))

with every other setting scikit-learn's default on the run's training rows (in the order
given) and scores it on the training and held-out rows. Warnings raised by a fit (scikit-learn's
ConvergenceWarning when the solver stops at max_iter) are recorded with the run and repeated
on stderr.

Usage: python3 sklearn_accuracy.py SPLITS ROOT. ROOT is the repository, which the data
files' paths in SPLITS are relative to. Prints one JSON document on stdout.
"""

import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# The MLPClassifier settings worth stating beside the results (all left at their defaults).
REPORTED_PARAMS = [
    "hidden_layer_sizes",
    "activation",
    "solver",
    "alpha",
    "batch_size",
    "learning_rate",
    "learning_rate_init",
    "max_iter",
    "shuffle",
    "tol",
    "n_iter_no_change",
    "early_stopping",
]


def load_csv(path):
    """X (float64) and integer labels of a CSV with a header and the label in the last column."""
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(np.int64)


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    splits_path, root = sys.argv[1], sys.argv[2]
    with open(splits_path, encoding="utf8") as f:
        splits = json.load(f)
    runs = []
    for dataset in splits["datasets"]:
        X, y = load_csv(os.path.join(root, dataset["file"]))
        if X.shape[0] != dataset["rows"]:
            raise SystemExit(f"{dataset['file']} has {X.shape[0]} rows, the splits {dataset['rows']}")
        for run in dataset["runs"]:
            train, held_out = np.array(run["train"]), np.array(run["heldOut"])
            model = make_pipeline(StandardScaler(), MLPClassifier(random_state=run["seed"]))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model.fit(X[train], y[train])
            mlp = model[-1]
            for w in caught:
                print(f"{dataset['name']} seed {run['seed']}: {w.category.__name__}: {w.message}", file=sys.stderr)
            runs.append(
                {
                    "dataset": dataset["name"],
                    "seed": run["seed"],
                    "trainAccuracy": float(model.score(X[train], y[train])),
                    "heldOutAccuracy": float(model.score(X[held_out], y[held_out])),
                    "epochs": int(mlp.n_iter_),
                    "finalLoss": float(mlp.loss_),
                    "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
                }
            )
    params = MLPClassifier().get_params()
    print(
        json.dumps(
            {
                "estimator": "make_pipeline(StandardScaler(), MLPClassifier(random_state=seed))",
                "params": {k: params[k] for k in REPORTED_PARAMS},
                "versions": {
                    "python": platform.python_version(),
                    "sklearn": sklearn.__version__,
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                },
                "cpu": cpu_model(),
                "runs": runs,
            }
        )
    )


if __name__ == "__main__":
    main()
