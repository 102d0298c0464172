#!/usr/bin/env python3
"""Independent reference numbers for benchlens' ratings engine.

Written from the published descriptions of the methods (FastChat's leaderboard notebooks,
arena-rank's README and paper, scikit-learn's LogisticRegression docs, Davidson 1970), not from
their code, with numpy / scipy / scikit-learn. It writes JSON fixtures into
crates/engine/tests/fixtures/ratings/ that the Rust integration tests compare against, so CI
needs no Python.

Usage (from the repository root, after `cargo build -p benchlens-cli`):
    python3 scripts/reference/ratings_reference.py [--shared ../shared] [--benchlens target/debug/benchlens]
"""
import argparse
import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.special import expit
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression

SCALE, BASE, INIT = 400.0, 10.0, 1000.0
PPL = SCALE / math.log(BASE)  # rating points per natural-log unit of odds
OUTCOMES = ["a_wins", "b_wins", "tie"]  # canonical order inside one pair
BOOT_ROUNDS = 300
BOOT_SEED = 20240220


def canonical_rows(df):
    """Unique (a, b, outcome) rows with a < b by name (ties: tie, tie (bothbad) -> 'tie')."""
    models = sorted(set(df.model_a) | set(df.model_b))
    idx = {m: i for i, m in enumerate(models)}
    counts = {}
    for a, b, w in zip(df.model_a, df.model_b, df.winner):
        if a == b:
            continue
        i, j = idx[a], idx[b]
        o = {"model_a": "a_wins", "model_b": "b_wins"}.get(w, "tie")
        if i > j:
            i, j = j, i
            o = {"a_wins": "b_wins", "b_wins": "a_wins", "tie": "tie"}[o]
        counts[(i, j, o)] = counts.get((i, j, o), 0) + 1
    keys = sorted(counts, key=lambda k: (k[0], k[1], OUTCOMES.index(k[2])))
    return models, [(i, j, o, counts[(i, j, o)]) for i, j, o in keys]


def arrays(rows):
    a = np.array([r[0] for r in rows])
    b = np.array([r[1] for r in rows])
    y = np.array([{"a_wins": 1.0, "b_wins": 0.0, "tie": 0.5}[r[2]] for r in rows])
    c = np.array([r[3] for r in rows], dtype=float)
    return a, b, y, c


def strongly_connected(k, a, b, y, c):
    """A finite BT MLE exists iff 'scored against' is strongly connected (tie = both ways)."""
    src, dst = [], []
    for ai, bi, yi, ci in zip(a, b, y, c):
        if ci <= 0:
            continue
        if yi > 0:
            src.append(ai); dst.append(bi)
        if yi < 1:
            src.append(bi); dst.append(ai)
    if not src:
        return k <= 1
    g = csr_matrix((np.ones(len(src)), (src, dst)), shape=(k, k))
    n, _ = connected_components(g, directed=True, connection="strong")
    return n == 1


def bt_fit(k, a, b, y, c, x0=None):
    """BT MLE by scipy's trust-region Newton on theta_1..theta_{k-1} (theta_0 = 0), then centred.
    Returns natural-log thetas with mean 0."""
    def unpack(p):
        return np.concatenate([[0.0], p])

    def fun(p):
        t = unpack(p)
        d = t[a] - t[b]
        val = -(c * (y * d - np.logaddexp(0, d))).sum()
        r = c * (y - expit(d))
        g = np.bincount(a, r, k) - np.bincount(b, r, k)
        return val, -g[1:]

    def hess(p):
        t = unpack(p)
        pr = expit(t[a] - t[b])
        w = c * pr * (1 - pr)
        h = np.zeros((k, k))
        np.add.at(h, (a, a), w); np.add.at(h, (b, b), w)
        np.add.at(h, (a, b), -w); np.add.at(h, (b, a), -w)
        return h[1:, 1:]

    start = np.zeros(k - 1) if x0 is None else (x0[1:] - x0[0])
    res = minimize(fun, start, jac=True, hess=hess, method="trust-exact", options={"gtol": 1e-11, "maxiter": 1000})
    t = unpack(res.x)
    return t - t.mean()


def bt_sklearn(k, a, b, y, c):
    """Cross-check: unpenalised logistic regression with each tie as two half-weight rows."""
    X = np.zeros((2 * len(a), k))
    rows = np.arange(len(a))
    for off in (0, len(a)):
        X[rows + off, a] = 1.0
        X[rows + off, b] = -1.0
    Y = np.concatenate([np.ones(len(a)), np.zeros(len(a))])
    W = np.concatenate([c * y, c * (1 - y)])
    keep = W > 0
    try:
        lr = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=100000)
        lr.fit(X[keep], Y[keep], sample_weight=W[keep])
    except Exception:
        lr = LogisticRegression(penalty=None, fit_intercept=False, tol=1e-12, max_iter=100000)
        lr.fit(X[keep], Y[keep], sample_weight=W[keep])
    t = lr.coef_[0]
    return t - t.mean()


def sandwich_se(k, a, b, y, c, theta):
    """arena-rank's sandwich: H = sum c p(1-p), G = sum c (y-p)^2 (Laplacian pattern),
    H + 1e-5 * N * I, Cov = H^-1 G H^-1."""
    p = expit(theta[a] - theta[b])
    def lap(w):
        m = np.zeros((k, k))
        np.add.at(m, (a, a), w); np.add.at(m, (b, b), w)
        np.add.at(m, (a, b), -w); np.add.at(m, (b, a), -w)
        return m
    H = lap(c * p * (1 - p)) + np.eye(k) * 1e-5 * c.sum()
    G = lap(c * (y - p) ** 2)
    Hi = np.linalg.inv(H)
    return np.sqrt(np.diag(Hi @ G @ Hi))


def davidson_fit(k, a, b, wins_a, wins_b, ties):
    """Davidson (1970) tie model by BFGS on (theta_1..theta_{k-1}, log nu)."""
    def nll(p):
        t = np.concatenate([[0.0], p[:-1]])
        lam = p[-1]
        d = t[a] - t[b]
        lse = np.logaddexp(np.logaddexp(d / 2, -d / 2), lam)
        return -((wins_a - wins_b) * d / 2 + ties * lam - (wins_a + wins_b + ties) * lse).sum()
    tau = ties.sum() / (wins_a + wins_b + ties).sum()
    x0 = np.concatenate([np.zeros(k - 1), [math.log(2 * tau / (1 - tau))]])
    res = minimize(nll, x0, method="BFGS", options={"gtol": 1e-9, "maxiter": 10000})
    t = np.concatenate([[0.0], res.x[:-1]])
    return t - t.mean(), math.exp(res.x[-1])


def legacy_sklearn(df):
    """The 2023-24 fit: duplicated battles, ties as one win + one loss, default LogisticRegression."""
    models = pd.concat([df["model_a"], df["model_b"]]).unique()
    index = {m: i for i, m in enumerate(models)}
    dd = pd.concat([df, df], ignore_index=True)
    n = len(dd)
    X = np.zeros((n, len(models)))
    X[np.arange(n), [index[m] for m in dd.model_a]] = math.log(BASE)
    X[np.arange(n), [index[m] for m in dd.model_b]] = -math.log(BASE)
    Y = (dd.winner == "model_a").values.astype(float)
    tie = dd.winner.str.startswith("tie").values.copy()
    tie[n // 2:] = False
    Y[tie] = 1.0
    lr = LogisticRegression(fit_intercept=False).fit(X, Y)
    return {m: SCALE * w + INIT for m, w in zip(models, lr.coef_[0])}


def online_elo(df, k=4.0):
    r = {}
    for a, b, w in zip(df.model_a, df.model_b, df.winner):
        ra, rb = r.get(a, INIT), r.get(b, INIT)
        ea = 1 / (1 + BASE ** ((rb - ra) / SCALE))
        eb = 1 / (1 + BASE ** ((ra - rb) / SCALE))
        sa = {"model_a": 1.0, "model_b": 0.0}.get(w, 0.5)
        r[a] = ra + k * (sa - ea)
        r[b] = rb + k * (1 - sa - eb)
    return r


def style_features(records):
    """(a - b) / (a + b + 1) of tokens, headers, lists, bold; z-scored with the population std."""
    def side(m, s):
        return [m[f"sum_assistant_{s}_tokens"], sum(m[f"header_count_{s}"].values()),
                sum(m[f"list_count_{s}"].values()), sum(m[f"bold_count_{s}"].values())]
    fa = np.array([side(r["conv_metadata"], "a") for r in records], dtype=float)
    fb = np.array([side(r["conv_metadata"], "b") for r in records], dtype=float)
    x = (fa - fb) / (fa + fb + 1)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    return (x - mean) / std


def style_fit(records, reg=0.5):
    """Contextual BT: logit = ln10 (theta_a - theta_b) + x.beta, penalty reg/2 * |params|^2."""
    models = sorted({r["model_a"] for r in records} | {r["model_b"] for r in records})
    idx = {m: i for i, m in enumerate(models)}
    a = np.array([idx[r["model_a"]] for r in records]); b = np.array([idx[r["model_b"]] for r in records])
    y = np.array([{"model_a": 1.0, "model_b": 0.0}.get(r["winner"], 0.5) for r in records])
    X = style_features(records)
    k, L = len(models), math.log(BASE)

    def fun(p):
        t, beta = p[:k], p[k:]
        z = L * (t[a] - t[b]) + X @ beta
        val = (np.logaddexp(0, z) - y * z).sum() + 0.5 * reg * p @ p
        r = expit(z) - y
        g = reg * p.copy()
        g[:k] += L * (np.bincount(a, r, k) - np.bincount(b, r, k))
        g[k:] += X.T @ r
        return val, g

    res = minimize(fun, np.zeros(k + 4), jac=True, method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 0, "maxiter": 100000})
    se = style_sandwich_se(a, b, y, X, k, res.x, reg)
    return models, SCALE * res.x[:k] + INIT, res.x[k:], se


def style_sandwich_se(a, b, y, X, k, p, reg):
    """Sandwich SEs of (theta, beta): H^-1 G H^-1 with H the penalised Hessian and G the centred
    outer products of the per-battle scores (dense design matrix, written from the formula)."""
    n, L = len(y), math.log(BASE)
    J = np.zeros((n, k + 4))
    J[np.arange(n), a] += L
    J[np.arange(n), b] -= L
    J[:, k:] = X
    q = expit(J @ p)
    H = J.T @ (J * (q * (1 - q))[:, None]) + reg * np.eye(k + 4)
    S = J * (y - q)[:, None]
    centred = S - S.mean(axis=0)
    G = centred.T @ centred
    Hi = np.linalg.inv(H)
    return np.sqrt(np.diag(Hi @ G @ Hi))


def write(out_dir, name, obj):
    path = os.path.join(out_dir, name)
    with open(path, "w") as f:
        json.dump(obj, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print("wrote", path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared"))
    ap.add_argument("--benchlens", default=os.path.join(root, "target", "debug", "benchlens"))
    args = ap.parse_args()
    out_dir = os.path.join(root, "crates", "engine", "tests", "fixtures", "ratings")
    os.makedirs(out_dir, exist_ok=True)

    battles = pd.DataFrame(json.load(open(os.path.join(args.shared, "data", "battles", "genai-arena-clean-battle-20240220.json"))))
    # The 2023-24 pipeline fed battles of a model against itself to scikit-learn too; every other
    # method drops them.
    raw = battles
    battles = battles[battles.model_a != battles.model_b]
    rng = np.random.default_rng(BOOT_SEED)
    tasks = {}
    for subset in ("anony", "full"):
        d = battles[battles.anony] if subset == "anony" else battles
        d_raw = raw[raw.anony] if subset == "anony" else raw
        for task in ("generation", "edition"):
            t = d[d.model_a.str.endswith("_" + task)]
            t_raw = d_raw[d_raw.model_a.str.endswith("_" + task)]
            models, rows = canonical_rows(t)
            k = len(models)
            a, b, y, c = arrays(rows)
            theta = bt_fit(k, a, b, y, c)
            check = bt_sklearn(k, a, b, y, c)
            assert np.abs(PPL * (theta - check)).max() < 1e-3, "scipy and sklearn BT disagree"
            se = sandwich_se(k, a, b, y, c, theta)
            z = norm.ppf(0.975)
            ratings = PPL * theta + INIT
            entry = {
                "models": models,
                "rows": [[models[i], models[j], o, n] for i, j, o, n in rows],
                "bt": ratings.tolist(),
                "sandwich_lower": (ratings - z * se * PPL).tolist(),
                "sandwich_upper": (ratings + z * se * PPL).tolist(),
                "legacy_sklearn": [legacy_sklearn(t_raw)[m] for m in models],
            }
            pairs = {}
            for i, j, o, n in rows:
                pairs.setdefault((i, j), [0, 0, 0])[OUTCOMES.index(o)] += n
            keys = sorted(pairs)
            pa = np.array([p[0] for p in keys]); pb = np.array([p[1] for p in keys])
            wa = np.array([pairs[p][0] for p in keys], float)
            wb = np.array([pairs[p][1] for p in keys], float)
            tt = np.array([pairs[p][2] for p in keys], float)
            dth, nu = davidson_fit(k, pa, pb, wa, wb, tt)
            entry["davidson"] = (PPL * dth + INIT).tolist()
            entry["davidson_nu"] = nu
            if subset == "anony":
                draws = rng.multinomial(int(c.sum()), c / c.sum(), size=BOOT_ROUNDS)
                reps, failed = [], 0
                for cnt in draws:
                    cnt = cnt.astype(float)
                    if not strongly_connected(k, a, b, y, cnt):
                        failed += 1
                        continue
                    reps.append(PPL * bt_fit(k, a, b, y, cnt, x0=theta) + INIT)
                reps = np.array(reps)
                entry["bootstrap_draws"] = draws.tolist()
                entry["bootstrap_failed"] = failed
                entry["bootstrap_lower"] = np.percentile(reps, 2.5, axis=0).tolist()
                entry["bootstrap_upper"] = np.percentile(reps, 97.5, axis=0).tolist()
            tasks[f"{subset}_{task}"] = entry
    write(out_dir, "genai_arena.json", tasks)

    # Online Elo on the anonymous battles in timestamp order (stable sort, as pandas does).
    anony = battles[battles.anony].sort_values("tstamp", kind="stable")
    write(out_dir, "elo_anony.json", {"ratings": online_elo(anony)})

    # Style control on a synthetic arena the CLI generates (the Rust test regenerates the same
    # battles from the same seed).
    n, seed = 4000, 11
    text = subprocess.run([args.benchlens, "synth", "battles", "--n", str(n), "--seed", str(seed), "--format", "jsonl"],
                          check=True, capture_output=True, text=True).stdout
    records = [json.loads(line) for line in text.splitlines() if line]
    models, ratings, beta, se = style_fit(records)
    z, k = norm.ppf(0.975), len(models)
    write(out_dir, "style_control.json", {
        "n": n, "seed": seed, "models": models, "ratings": ratings.tolist(), "coefficients": beta.tolist(),
        "sandwich_lower": (ratings - z * SCALE * se[:k]).tolist(), "sandwich_upper": (ratings + z * SCALE * se[:k]).tolist(),
        "coefficient_sandwich_lower": (beta - z * se[k:]).tolist(), "coefficient_sandwich_upper": (beta + z * se[k:]).tolist()})


if __name__ == "__main__":
    main()
