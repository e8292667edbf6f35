#!/usr/bin/env python3
"""Permutation importance recomputed from a model's own predictions, NumPy only.

Reads the predictions the Java tests wrote (`iris-*-shuffles.json`: the true outputs, the
model's predictions on the data and on every shuffled copy, one per column and repeat) and
writes `iris-*-importance.json`: per metric and column, the mean and the population standard
deviation over the repeats of the score lost, as scikit-learn's `permutation_importance`
defines it (importance = baseline score - shuffled score, with losses negated as sklearn's
`neg_*` scorers do). Metrics follow scikit-learn: accuracy_score, log_loss (probabilities
clipped to [1e-15, 1 - 1e-15]), mean_absolute_error, root mean squared error, r2_score.

Run from mlops-explain: python3 src/test/python/permutation_importance.py
"""
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent.parent / "resources" / "datasets"
EPS = 1e-15


def accuracy(truth, shuffle, labels):
    return float(np.mean(np.array(shuffle["predicted"]) == np.array(truth)))


def log_loss(truth, shuffle, labels):
    p = np.array(shuffle["probabilities"], dtype=float)
    idx = np.array([labels.index(t) for t in truth])
    picked = np.clip(p[np.arange(len(truth)), idx], EPS, 1 - EPS)
    return float(-np.mean(np.log(picked)))


def mae(truth, shuffle, labels):
    return float(np.mean(np.abs(np.array(shuffle["predicted"]) - np.array(truth))))


def rmse(truth, shuffle, labels):
    return float(np.sqrt(np.mean((np.array(shuffle["predicted"]) - np.array(truth)) ** 2)))


def r2(truth, shuffle, labels):
    y = np.array(truth)
    res = np.sum((y - np.array(shuffle["predicted"])) ** 2)
    tot = np.sum((y - y.mean()) ** 2)
    return float(1 - res / tot)


METRICS = {"accuracy": (accuracy, True), "log_loss": (log_loss, False), "mae": (mae, False),
           "rmse": (rmse, False), "r2": (r2, True)}


def importance(doc):
    truth, labels = doc["truth"], doc.get("labels", [])
    out = {}
    for name in doc["metrics"]:
        score, higher_is_better = METRICS[name]
        sign = 1.0 if higher_is_better else -1.0
        baseline = score(truth, doc["baseline"], labels)
        per_column = {}
        for s in doc["shuffles"]:
            per_column.setdefault(s["column"], []).append(sign * (baseline - score(truth, s, labels)))
        out[name] = {
            "baseline": baseline,
            "features": {c: {"mean": float(np.mean(v)), "std": float(np.std(v))} for c, v in per_column.items()},
        }
    return out


def main():
    for source in sorted(HERE.glob("iris-*-shuffles.json")):
        doc = json.loads(source.read_text())
        target = source.with_name(source.name.replace("-shuffles", "-importance"))
        target.write_text(json.dumps(importance(doc), indent=1, sort_keys=True) + "\n")
        print("wrote", target.name)


if __name__ == "__main__":
    main()
