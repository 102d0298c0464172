"""Independent cross-check of benchlens' length-controlled AlpacaEval method (docs/judge.md).

Written from the method description, not from benchlens' Rust code: scipy's L-BFGS fits
(1) the joint model  logit P = a_m * tanh(d_mi) + b_m + g_i  with a ridge of precision 1 on g,
(2) per model  logit P = w_len * tanh(d) + w_diff * g_i + w_bias  plus regularisation rows:
    every other model's judgments with w_bias replaced by that model's joint b_m, total weight
    0.2 * (the model's judgments) spread evenly, and a 1e-6 ridge on (w_len, w_diff, w_bias);
(3) LC = mean_i sigmoid(w_diff * g_i + w_bias) * 100 and its sem (ddof=1) * 100.
d_mi = (len(output_1) - len(output_2)) / std (ddof=1) over the model's judgments, lengths in
code points. Writes crates/engine/tests/fixtures/judge/alpaca_eval_lc.json.

Run: python3 scripts/reference/judge_lc.py  (numpy, scipy)

With one model's file (`--one FILE`) the method has neither a difficulty term (fewer than three
models) nor anything to pool, so it is the minimal GLM  logit P = w_len * tanh(d) + w_bias  with
the 1e-6 ridge, LC = sigmoid(w_bias) * 100; the result is printed as JSON and written nowhere.
The engine test `judge_alpaca_eval::small_file_through_the_entry_point` pins that number for
crates/engine/tests/fixtures/judge/alpaca_eval_small.json.
"""
import glob
import json
import os
import sys

import numpy as np
from scipy.optimize import minimize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "samples", "alpaca-eval", "annotations")
OUT = os.path.join(ROOT, "crates", "engine", "tests", "fixtures", "judge", "alpaca_eval_lc.json")
LAMBDA, RIDGE_G, TINY = 0.2, 1.0, 1e-6


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def logistic_nll(z, y, w):
    return np.sum(w * (np.logaddexp(0.0, z) - y * z))


def main():
    models, rows, instr = [], [], {}
    for k, path in enumerate(sorted(glob.glob(os.path.join(DATA, "*.json")))):
        recs = json.load(open(path, encoding="utf-8"))
        models.append(recs[0]["generator_2"])
        d = np.array([len(r["output_1"]) - len(r["output_2"]) for r in recs], float)
        t = np.tanh(d / d.std(ddof=1))
        for r, tt in zip(recs, t):
            i = instr.setdefault(r["instruction"], len(instr))
            p = r["preference"]
            y = np.nan if p is None else (1.5 if p == 0 else p) - 1.0
            rows.append((k, i, tt, y))
    rows = np.array(rows)
    m, ii, t, y = rows[:, 0].astype(int), rows[:, 1].astype(int), rows[:, 2], rows[:, 3]
    K, N = len(models), len(instr)
    ok = ~np.isnan(y)

    def joint(p):
        a, b, g = p[:K], p[K:2 * K], p[2 * K:]
        z = a[m[ok]] * t[ok] + b[m[ok]] + g[ii[ok]]
        r = sig(z) - y[ok]
        f = logistic_nll(z, y[ok], 1.0) + 0.5 * RIDGE_G * g @ g + 0.5 * TINY * (a @ a + b @ b)
        grad = np.concatenate([
            np.bincount(m[ok], r * t[ok], K) + TINY * a,
            np.bincount(m[ok], r, K) + TINY * b,
            np.bincount(ii[ok], r, N) + RIDGE_G * g,
        ])
        return f, grad

    res = minimize(joint, np.zeros(2 * K + N), jac=True, method="L-BFGS-B",
                   options={"maxiter": 20000, "gtol": 1e-10, "ftol": 1e-15})
    b, g = res.x[K:2 * K], res.x[2 * K:]

    out = {}
    for k in range(K):
        own = (m == k) & ok
        other = (m != k) & ok
        X = np.c_[t[own], g[ii[own]], np.ones(own.sum())]
        Xo = np.c_[t[other], g[ii[other]], np.zeros(other.sum())]
        off = b[m[other]]
        wo = LAMBDA * own.sum() / other.sum()

        def f(w):
            z = X @ w
            zo = Xo @ w + off
            val = logistic_nll(z, y[own], 1.0) + logistic_nll(zo, y[other], wo) + 0.5 * TINY * w @ w
            grad = X.T @ (sig(z) - y[own]) + wo * Xo.T @ (sig(zo) - y[other]) + TINY * w
            return val, grad

        w = minimize(f, np.zeros(3), jac=True, method="L-BFGS-B",
                     options={"gtol": 1e-10, "ftol": 1e-15}).x
        pred = sig(w[1] * g[ii[m == k]] + w[2])
        out[models[k]] = {
            "lc_win_rate": float(pred.mean() * 100),
            "lc_standard_error": float(pred.std(ddof=1) / np.sqrt(len(pred)) * 100),
            "length_coef": float(w[0]),
            "difficulty_coef": float(w[1]),
            "bias": float(w[2]),
        }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"method": "scripts/reference/judge_lc.py", "models": out}, fh, indent=1, sort_keys=True)
    for k, v in sorted(out.items()):
        print(f"{k:40s} {v['lc_win_rate']:8.4f} {v['lc_standard_error']:7.4f}")


def one_model(path):
    recs = json.load(open(path, encoding="utf-8"))
    d = np.array([len(r["output_1"]) - len(r["output_2"]) for r in recs], float)
    t = np.tanh(d / d.std(ddof=1))
    y = np.array([np.nan if r["preference"] is None
                  else (1.5 if r["preference"] == 0 else r["preference"]) - 1.0 for r in recs])
    ok = ~np.isnan(y)
    X = np.c_[t[ok], np.ones(ok.sum())]

    def f(w):
        z = X @ w
        return (logistic_nll(z, y[ok], 1.0) + 0.5 * TINY * w @ w,
                X.T @ (sig(z) - y[ok]) + TINY * w)

    w = minimize(f, np.zeros(2), jac=True, method="L-BFGS-B",
                 options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 20000}).x
    print(json.dumps({"file": os.path.relpath(path, ROOT), "lc_win_rate": float(sig(w[1]) * 100),
                      "length_coef": float(w[0]), "bias": float(w[1])}, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one_model(sys.argv[2])
    else:
        main()
