#!/usr/bin/env python3
"""Times a straightforward Python pipeline on a battle file, for the ratio in
BENCHMARKS.md: json.load + DataFrame (as FastChat's elo_analysis loads
clean_battle files), unique (a, b, outcome) rows with numpy, a Bradley-Terry fit with SciPy's
L-BFGS-B (as FastChat's fit_bt, tol 1e-6) and a multinomial bootstrap of the unique-row counts.
This is our own code following the published method, not FastChat's.

    python3 scripts/reference/ratings_timing.py battles.json [--rounds 100]
"""
import argparse
import json
import math
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit


def fit(k, a, b, y, w):
    alpha = math.log(10.0)

    def f(t):
        d = alpha * (t[a] - t[b])
        val = (w * (np.logaddexp(0, d) - y * d)).sum()
        r = w * (expit(d) - y) * alpha
        return val, np.bincount(a, r, k) - np.bincount(b, r, k)

    return minimize(f, np.zeros(k), jac=True, method="L-BFGS-B", options={"gtol": 1e-6, "maxiter": 100}).x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args()
    t0 = time.perf_counter()
    with open(args.file) as fh:
        df = pd.DataFrame(json.load(fh))
    t1 = time.perf_counter()
    models, idx = np.unique(np.concatenate([df.model_a.values, df.model_b.values]), return_inverse=True)
    n = len(df)
    y = df.winner.map({"model_a": 1.0, "model_b": 0.0}).fillna(0.5).values
    rows, counts = np.unique(np.column_stack([idx[:n], idx[n:], y]), axis=0, return_counts=True)
    a, b, yy = rows[:, 0].astype(int), rows[:, 1].astype(int), rows[:, 2]
    t2 = time.perf_counter()
    theta = fit(len(models), a, b, yy, counts.astype(float))
    t3 = time.perf_counter()
    rng = np.random.default_rng(42)
    draws = rng.multinomial(counts.sum(), counts / counts.sum(), size=args.rounds)
    reps = np.array([fit(len(models), a, b, yy, d.astype(float)) for d in draws])
    lo, hi = np.percentile(400 * reps + 1000, [2.5, 97.5], axis=0)
    t4 = time.perf_counter()
    print(json.dumps({
        "battles": n, "models": len(models), "unique_rows": len(rows),
        "load_s": round(t1 - t0, 2), "aggregate_s": round(t2 - t1, 2), "bt_fit_s": round(t3 - t2, 2),
        f"bootstrap_{args.rounds}_s": round(t4 - t3, 2), "total_s": round(t4 - t0, 2),
        "top": [models[i] for i in np.argsort(-theta)[:3]],
    }))


if __name__ == "__main__":
    main()
