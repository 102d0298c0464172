#!/usr/bin/env python3
"""Reference numbers for per-battle weights (`benchlens ratings --weights COLUMN`).

Written from the method descriptions (arena-rank's weighted Bradley–Terry loss and sandwich,
FastChat's online Elo update), not from any code, with numpy / scipy. It writes a small seeded
battle log with a `weight` column (JSONL, CSV and Parquet: the same battles) and the values
benchlens must reproduce, into crates/engine/tests/fixtures/ratings/weighted/; the Rust test
crates/cli/tests/ratings_weights_cli.rs compares, so CI needs no Python.

Semantics checked:
- weighted BT: maximise sum_i w_i [y_i d_i - log(1 + e^{d_i})], d_i = theta_a - theta_b, ties
  y = 1/2 (FastChat's 400 / base 10 / 1000 scale, ratings averaging 1000: the CLI without anchor);
- weighted sandwich: H = sum w p(1-p), G = sum w^2 (y - p)^2 in the pairwise Laplacian pattern,
  H + 1e-5 I (arena-rank regularises weighted data without the battle count), rating +- z se;
- weighted online Elo: in tstamp order, r_a += K w (s_a - E_a), r_b += K w (1 - s_a - E_b), K = 4;
- rows whose weight is missing or negative are skipped; weight 0 carries nothing.

Usage (from the repository root):
    python3 scripts/reference/ratings_weights_reference.py
"""
import json
import math
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import norm

SCALE, BASE, INIT, K = 400.0, 10.0, 1000.0, 4.0
PPL = SCALE / math.log(BASE)
OUT = os.path.join("crates", "engine", "tests", "fixtures", "ratings", "weighted")
SEED = 15


def make_battles():
    rng = np.random.default_rng(SEED)
    models = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    strength = {m: s for m, s in zip(models, [0.9, 0.5, 0.2, 0.0, -0.3, -0.6])}
    weights = [0.25, 0.5, 1.0, 1.0, 2.0, 3.0]
    battles = []
    for i in range(400):
        a, b = rng.choice(len(models), size=2, replace=False)
        ma, mb = models[a], models[b]
        d = strength[ma] - strength[mb]
        u = rng.random()
        p_tie = 0.15
        if u < p_tie:
            winner = "tie" if rng.random() < 0.7 else "tie (bothbad)"
        elif u < p_tie + (1 - p_tie) * expit(d):
            winner = "model_a"
        else:
            winner = "model_b"
        # Discrete weights share rows; a third are continuous (one row per battle).
        if rng.random() < 0.33:
            w = round(float(rng.uniform(0.1, 4.0)), 3)
        else:
            w = float(rng.choice(weights))
        battles.append(
            {"model_a": ma, "model_b": mb, "winner": winner, "tstamp": 1_700_000_000 + 60 * i, "weight": w}
        )
    # Rows that cannot be weighted (skipped), and one of weight 0 (carries nothing).
    battles[7]["weight"] = None
    battles[19]["weight"] = -1.0
    battles[23]["weight"] = 0.0
    return battles


def usable(battles):
    return [b for b in battles if b["weight"] is not None and b["weight"] > 0]


def design(battles, models):
    idx = {m: i for i, m in enumerate(models)}
    a = np.array([idx[b["model_a"]] for b in battles])
    bb = np.array([idx[b["model_b"]] for b in battles])
    y = np.array([{"model_a": 1.0, "model_b": 0.0}.get(b["winner"], 0.5) for b in battles])
    w = np.array([b["weight"] for b in battles])
    return a, bb, y, w


def weighted_bt(battles, models):
    a, b, y, w = design(battles, models)
    n = len(models)

    def full(free):
        return np.concatenate([[0.0], free])

    def nll(free):
        t = full(free)
        d = t[a] - t[b]
        return float(np.sum(w * (np.logaddexp(0.0, d) - y * d)))

    def grad(free):
        t = full(free)
        d = t[a] - t[b]
        r = w * (expit(d) - y)
        g = np.zeros(n)
        np.add.at(g, a, r)
        np.add.at(g, b, -r)
        return g[1:]

    def hess(free):
        t = full(free)
        p = expit(t[a] - t[b])
        h = laplacian(n, a, b, w * p * (1 - p))
        return h[1:, 1:]

    res = minimize(nll, np.zeros(n - 1), jac=grad, hess=hess, method="trust-exact",
                   options={"gtol": 1e-13})
    theta = full(res.x)
    theta -= theta.mean()
    return theta


def laplacian(n, a, b, v):
    h = np.zeros((n, n))
    np.add.at(h, (a, a), v)
    np.add.at(h, (b, b), v)
    np.add.at(h, (a, b), -v)
    np.add.at(h, (b, a), -v)
    return h


def weighted_sandwich(battles, models, theta):
    a, b, y, w = design(battles, models)
    n = len(models)
    p = expit(theta[a] - theta[b])
    h = laplacian(n, a, b, w * p * (1 - p)) + 1e-5 * np.eye(n)
    g = laplacian(n, a, b, w * w * (y - p) ** 2)
    hi = np.linalg.inv(h)
    cov = hi @ g @ hi
    return np.sqrt(np.maximum(np.diag(cov), 0.0))


def weighted_elo(battles, models):
    r = {m: INIT for m in models}
    for bt in sorted(battles, key=lambda x: x["tstamp"]):
        ma, mb, w = bt["model_a"], bt["model_b"], bt["weight"]
        ea = 1 / (1 + BASE ** ((r[mb] - r[ma]) / SCALE))
        eb = 1 / (1 + BASE ** ((r[ma] - r[mb]) / SCALE))
        sa = {"model_a": 1.0, "model_b": 0.0}.get(bt["winner"], 0.5)
        r[ma] += K * w * (sa - ea)
        r[mb] += K * w * (1 - sa - eb)
    return r


def write_inputs(battles):
    with open(os.path.join(OUT, "battles.jsonl"), "w") as f:
        for b in battles:
            rec = dict(b)
            if rec["weight"] is None:
                del rec["weight"]
            f.write(json.dumps(rec) + "\n")
    with open(os.path.join(OUT, "battles.csv"), "w") as f:
        f.write("model_a,model_b,winner,tstamp,weight\n")
        for b in battles:
            w = "" if b["weight"] is None else repr(b["weight"])
            f.write(f'{b["model_a"]},{b["model_b"]},{b["winner"]},{b["tstamp"]},{w}\n')
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return
    table = pa.table({
        "model_a": [b["model_a"] for b in battles],
        "model_b": [b["model_b"] for b in battles],
        "winner": [b["winner"] for b in battles],
        "tstamp": [float(b["tstamp"]) for b in battles],
        "weight": pa.array([b["weight"] for b in battles], type=pa.float64()),
    })
    pq.write_table(table, os.path.join(OUT, "battles.parquet"), compression="snappy",
                   row_group_size=150)


def main():
    os.makedirs(OUT, exist_ok=True)
    battles = make_battles()
    write_inputs(battles)
    kept = usable(battles)
    models = sorted({b["model_a"] for b in kept} | {b["model_b"] for b in kept})
    theta = weighted_bt(kept, models)
    se = weighted_sandwich(kept, models, theta)
    z = norm.ppf(0.975)
    elo = weighted_elo(kept, models)
    unweighted = [dict(b, weight=1.0) for b in battles]
    theta_1 = weighted_bt(unweighted, models)
    expected = {
        "note": "written by scripts/reference/ratings_weights_reference.py",
        "skipped_rows": len(battles) - len(kept) - 1,
        "zero_weight": 1,
        "bt": {m: INIT + PPL * t for m, t in zip(models, theta)},
        "sandwich": {m: [INIT + PPL * (t - z * s), INIT + PPL * (t + z * s)]
                     for m, t, s in zip(models, theta, se)},
        "elo": elo,
        "bt_unweighted": {m: INIT + PPL * t for m, t in zip(models, theta_1)},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
