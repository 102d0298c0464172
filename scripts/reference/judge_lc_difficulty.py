"""Experiment: is benchlens' LC gap to the published AlpacaEval 2 numbers caused by how instruction
difficulty is estimated (noise, over-shrinkage, plug-in) rather than by the missing df_gamed rows?

Not a cross-check of the Rust code (that is judge_lc.py); this compares difficulty estimators on
the 8 shared annotation files and prints, per variant, each model's LC minus the published LC and
its length slope. The published LC is only used to evaluate, never to fit. docs/judge.md
("How far from the published LC, and why") records the outcome.

Model and notation (docs/judge.md): t_mi = tanh(Δ_mi / sd_m), Δ = len(baseline) − len(model) in
code points, y = preference − 1 (soft). The joint model is
    logit P = a_m t_mi + b_m + c_m γ_i      (c_m = 1 unless "loading")
and each model's LC GLM is
    logit P = w_len t + w_diff γ̂_i + w_bias  (+ pooled regularisation rows, weight λ × n)
with LC = mean_i σ(w_diff γ̂_i + w_bias) × 100.

Variants:
  map          γ ~ N(0, 1/τ), joint mode (MAP), plug-in γ̂ (benchlens' method for τ = 1)
  eb           γ ~ N(0, σ²), a, b, σ by exact marginal likelihood (Gauss–Hermite quadrature,
               61 nodes), plug-in posterior mean γ̂ (empirical Bayes)
  eb-direct    the same GLMM, LC taken from it directly: mean_i E[σ(b_m + c_m γ_i) | data]
               (γ integrated over its posterior instead of plugged in)
  lomo         γ̂ from the joint fit without model m (MAP, τ = 1) for model m's GLM
  mundlak      correlated random effects (Mundlak 1978): γ_i = δ · t̄_i + u_i, t̄_i the mean of
               t over the loaded models on instruction i, u ~ N(0, σ²); the plug-in difficulty
               is δ t̄_i + E[u_i | data]. Fitted by MAP (τ = 1) or by marginal likelihood.
Simulation (--simulate N): N data sets drawn from the reference's published per-model
coefficients (alpaca_eval metrics/weights/weighted_alpaca_eval_gpt4_turbo/length_controlled_v1,
copied below as numbers) with a known difficulty, binary verdicts; prints each estimator's mean
LC error against the known truth and its mean length slope (true slopes printed alongside).

Run: python3 scripts/reference/judge_lc_difficulty.py [--simulate 6]   (numpy, scipy; ~30 s,
plus ~20 s per simulated data set)
"""
import argparse
import csv
import glob
import json
import os

import numpy as np
from scipy.optimize import least_squares, minimize
from scipy.special import expit as sig
from scipy.special import logsumexp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "alpaca-eval")
OPT = {"maxiter": 50000, "gtol": 1e-9, "ftol": 1e-15}
TINY = 1e-6
# Published length_controlled_v1 coefficients (length, difficulty, bias) of the 8 shared models.
REF = {
    "Mixtral-8x7B-Instruct-v0.1_concise": (-1.98998, 1.10406, -1.64245),
    "alpaca-7b": (-2.20679, 0.98593, -3.69074),
    "claude-2.1": (-1.81043, 0.83041, -1.31324),
    "claude-2.1_concise": (-1.67737, 0.80258, -1.83748),
    "gpt-3.5-turbo-1106": (-2.04213, 1.01014, -1.90185),
    "gpt-3.5-turbo-1106_concise": (-2.14475, 1.08438, -2.32658),
    "gpt-3.5-turbo-1106_verbose": (-1.90265, 1.09837, -1.72278),
    "gpt4_gamed": (-2.98368, 0.61936, -2.25181),
}
GH_Z, GH_W = np.polynomial.hermite_e.hermegauss(61)
GH_LW = np.log(GH_W / np.sqrt(2 * np.pi))


def nll(z, y, w=1.0):
    return np.sum(w * (np.logaddexp(0.0, z) - y * z))


class Data:
    def __init__(self):
        models, rows, instr = [], [], {}
        for k, path in enumerate(sorted(glob.glob(os.path.join(DATA, "annotations", "*.json")))):
            recs = json.load(open(path, encoding="utf-8"))
            models.append(recs[0]["generator_2"])
            d = np.array([len(r["output_1"]) - len(r["output_2"]) for r in recs], float)
            t = np.tanh(d / d.std(ddof=1))
            for r, tt in zip(recs, t):
                p = r["preference"]
                if p is None:
                    continue
                i = instr.setdefault(r["instruction"], len(instr))
                rows.append((k, i, tt, (1.5 if p == 0 else p) - 1.0))
        rows = np.array(rows)
        self.models = models
        self.m, self.i = rows[:, 0].astype(int), rows[:, 1].astype(int)
        self.t, self.y = rows[:, 2], rows[:, 3]
        self.K, self.N = len(models), len(instr)
        self.tbar = np.bincount(self.i, self.t, self.N) / np.bincount(self.i, None, self.N)
        pub = {}
        with open(os.path.join(DATA, "weighted_alpaca_eval_gpt4_turbo_leaderboard.csv"), encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                pub[r[""]] = float(r["length_controlled_winrate"])
        self.pub = np.array([pub[m] for m in models])


def joint_map(D, y, tau, X=None, exclude=None):
    """MAP of logit = a_m t + b_m + X_i δ + γ_i, γ ~ N(0, 1/τ). Returns (a, b, difficulty)."""
    ok = np.ones(len(D.m), bool) if exclude is None else D.m != exclude
    m, ii, t, yy = D.m[ok], D.i[ok], D.t[ok], y[ok]
    K, N = D.K, D.N
    X = np.zeros((N, 0)) if X is None else X
    P = X.shape[1]

    def f(p):
        a, b, dl, g = p[:K], p[K:2 * K], p[2 * K:2 * K + P], p[2 * K + P:]
        z = a[m] * t + b[m] + X[ii] @ dl + g[ii]
        r = sig(z) - yy
        val = nll(z, yy) + 0.5 * tau * g @ g + 0.5 * TINY * (a @ a + b @ b + dl @ dl)
        grad = np.concatenate([
            np.bincount(m, r * t, K) + TINY * a,
            np.bincount(m, r, K) + TINY * b,
            (X[ii] * r[:, None]).sum(0) + TINY * dl,
            np.bincount(ii, r, N) + tau * g,
        ])
        return val, grad

    x = minimize(f, np.zeros(2 * K + P + N), jac=True, method="L-BFGS-B", options=OPT).x
    return x[:K], x[K:2 * K], X @ x[2 * K:2 * K + P] + x[2 * K + P:]


def glmm(D, y, loading=False, X=None):
    """Marginal likelihood of logit = a_m t + b_m + X_i δ + c_m σ z_i, z ~ N(0,1), z integrated
    out by Gauss–Hermite quadrature. Returns a, b, c, σ, δ and the posterior of z on the nodes."""
    K, N, m, ii, t = D.K, D.N, D.m, D.i, D.t
    X = np.zeros((N, 0)) if X is None else X
    P = X.shape[1]
    nc = K if loading else 0

    def unpack(p):
        c = p[2 * K:2 * K + nc] if loading else np.ones(K)
        return p[:K], p[K:2 * K], c, p[2 * K + nc:2 * K + nc + P], np.exp(p[-1])

    def loglik(p):
        a, b, c, dl, s = unpack(p)
        z = (a[m] * t + b[m] + X[ii] @ dl)[:, None] + (c[m] * s)[:, None] * GH_Z[None, :]
        L = np.zeros((N, len(GH_Z)))
        np.add.at(L, ii, y[:, None] * z - np.logaddexp(0.0, z))
        L += GH_LW
        lse = logsumexp(L, axis=1)
        return z, lse, np.exp(L - lse[:, None])

    def f(p):
        a, b, c, dl, s = unpack(p)
        z, lse, post = loglik(p)
        r = (y[:, None] - sig(z)) * post[ii]
        rs, rz = r.sum(1), (r * GH_Z[None, :]).sum(1)
        g = [-np.bincount(m, rs * t, K), -np.bincount(m, rs, K)]
        if loading:
            g.append(-np.bincount(m, rz * s, K))
        g += [-(X[ii] * rs[:, None]).sum(0), [-np.sum(rz * c[m] * s)]]
        return -lse.sum(), np.concatenate([np.asarray(v, float) for v in g])

    p0 = np.zeros(2 * K + nc + P + 1)
    if loading:
        p0[2 * K:3 * K] = 1.0
    x = minimize(f, p0, jac=True, method="L-BFGS-B", options=OPT).x
    a, b, c, dl, s = unpack(x)
    post = loglik(x)[2]
    return {"a": a, "b": b, "c": c, "s": s, "post": post, "difficulty": X @ dl + post @ (s * GH_Z),
            "fixed": X @ dl, "delta": dl}


def per_model(D, y, g, lam, b_joint):
    """Each model's LC GLM on plug-in difficulty g, with pooled regularisation rows (the other
    models' judgments, their bias fixed at b_joint) at total weight λ × n. Returns LC, w."""
    lcs, ws = [], []
    for k in range(D.K):
        own, other = D.m == k, D.m != k
        X = np.c_[D.t[own], g[D.i[own]], np.ones(own.sum())]
        Xo = np.c_[D.t[other], g[D.i[other]], np.zeros(other.sum())]
        off = b_joint[D.m[other]]
        wo = lam * own.sum() / other.sum()

        def f(w):
            z, zo = X @ w, Xo @ w + off
            return (nll(z, y[own]) + nll(zo, y[other], wo) + 0.5 * TINY * w @ w,
                    X.T @ (sig(z) - y[own]) + wo * Xo.T @ (sig(zo) - y[other]) + TINY * w)

        w = minimize(f, np.zeros(3), jac=True, method="L-BFGS-B", options=OPT).x
        lcs.append(100 * sig(w[1] * g[D.i[own]] + w[2]).mean())
        ws.append(w)
    return np.array(lcs), np.array(ws)


def variants(D, y, fast=False):
    """Every estimator as name -> (LC per model, length slope per model)."""
    out = {}
    a, b, g = joint_map(D, y, 1.0)
    out["map tau=1, lam=0.2 (benchlens default)"] = pick(per_model(D, y, g, 0.2, b))
    if not fast:
        out["map tau=1, lam=0 (no pooled rows)"] = pick(per_model(D, y, g, 0.0, b))
        a, b, g = joint_map(D, y, 0.1)
        out["map tau=0.1 (near fixed effects), lam=0.2"] = pick(per_model(D, y, g, 0.2, b))
    G = glmm(D, y)
    out["eb: sigma by marginal lik., plug-in, lam=0.2"] = pick(per_model(D, y, G["difficulty"], 0.2, G["b"]))
    if not fast:
        for lam in (0.0, 1.0):
            out[f"eb plug-in, lam={lam:g}"] = pick(per_model(D, y, G["difficulty"], lam, G["b"]))
        post_lc = [100 * (G["post"] @ sig(G["b"][k] + G["c"][k] * G["s"] * GH_Z)).mean() for k in range(D.K)]
        out["eb-direct: LC from the GLMM, gamma integrated"] = (np.array(post_lc), G["a"])
        GL = glmm(D, y, loading=True)
        out["eb + per-model loading c_m, plug-in, lam=0.2"] = pick(per_model(D, y, GL["difficulty"], 0.2, GL["b"]))
        post_lc = [100 * (GL["post"] @ sig(GL["b"][k] + GL["c"][k] * GL["s"] * GH_Z)).mean() for k in range(D.K)]
        out["eb-direct with loading c_m"] = (np.array(post_lc), GL["a"])
        lcs, sl = [], []
        for k in range(D.K):
            a, b, g = joint_map(D, y, 1.0, exclude=k)
            lc, w = per_model(D, y, g, 0.2, b)
            lcs.append(lc[k])
            sl.append(w[k, 0])
        out["lomo: gamma without model m, lam=0.2"] = (np.array(lcs), np.array(sl))
    a, b, g = joint_map(D, y, 1.0, X=D.tbar[:, None])
    out["mundlak map tau=1, lam=0.2"] = pick(per_model(D, y, g, 0.2, b))
    GM = glmm(D, y, X=D.tbar[:, None])
    out["mundlak eb (marginal lik.), lam=0.2"] = pick(per_model(D, y, GM["difficulty"], 0.2, GM["b"]))
    if not fast:
        a, b, g = joint_map(D, y, 0.354, X=D.tbar[:, None])
        out["mundlak map tau=0.354 (=1/sigma_eb^2), lam=0.2"] = pick(per_model(D, y, g, 0.2, b))
    return out, G, GM


def pick(res):
    lc, w = res
    return lc, w[:, 0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--simulate", type=int, default=0, help="simulated data sets (0 = none)")
    args = ap.parse_args()
    D = Data()
    short = [m.replace("-Instruct-v0.1", "").replace("-turbo-1106", "")[:14] for m in D.models]
    print(f"{'variant':48s} {'max|dev|':>8s}  " + " ".join(f"{s:>14s}" for s in short))
    res, G, GM = variants(D, D.y)
    for name, (lc, slope) in res.items():
        dev = lc - D.pub
        print(f"{name:48s} {np.abs(dev).max():8.2f}  " + " ".join(f"{d:+7.2f}/{s:6.2f}" for d, s in zip(dev, slope)))
    print("(each cell: LC minus published LC / length slope; published slopes:",
          " ".join(f"{REF[m][0]:.2f}" for m in D.models) + ")")
    print(f"eb sigma_gamma = {G['s']:.3f} (benchlens fixes 1); mundlak delta = {GM['delta'][0]:.3f}, "
          f"sigma = {GM['s']:.3f}")
    a, b, g = joint_map(D, D.y, 1.0)
    corr = [np.corrcoef(D.t[D.m == k], g[D.i[D.m == k]])[0, 1] for k in range(D.K)]
    print("corr(t, gamma_hat) within each model:", " ".join(f"{c:+.2f}" for c in corr))
    # Do the models' own judgments accept the published slopes, given our γ (mapped to the
    # reference's scale)? Likelihood-ratio statistic: slope fixed at the published value vs free
    # (difficulty coefficient and bias refitted in both; no regularisation rows).
    R = np.array([REF[m] for m in D.models])
    fit = least_squares(lambda p: np.array(
        [100 * sig(R[k, 1] * (p[0] + p[1] * g) + R[k, 2]).mean() for k in range(D.K)]) - D.pub, [0, 2]).x
    gm = fit[0] + fit[1] * g
    lr = []
    for k in range(D.K):
        s = D.m == k
        X = np.c_[D.t[s], gm[D.i[s]], np.ones(s.sum())]
        free = minimize(lambda w: nll(X @ w, D.y[s]), np.zeros(3)).fun
        fixed = minimize(lambda w: nll(R[k, 0] * X[:, 0] + X[:, 1:] @ w, D.y[s]), np.zeros(2)).fun
        lr.append(2 * (fixed - free))
    print(f"gamma mapped as {fit[0]:.2f} + {fit[1]:.2f} gamma_hat; LR statistic for the published slope:",
          " ".join(f"{v:.1f}" for v in lr))

    if args.simulate:
        truths = {
            "difficulty independent of length (gamma_hat mapped to the reference scale)": fit[0] + fit[1] * g,
            "difficulty correlated with tbar (mundlak eb difficulty)": GM["difficulty"],
        }
        rng = np.random.default_rng(7)
        print(f"\nsimulation: verdicts drawn from the published coefficients, {args.simulate} data sets;"
              " mean LC error vs truth / mean slope; true slopes", " ".join(f"{r:.2f}" for r in R[:, 0]))
        for tname, dtrue in truths.items():
            z = R[D.m, 0] * D.t + R[D.m, 1] * dtrue[D.i] + R[D.m, 2]
            truth = np.array([100 * sig(R[k, 1] * dtrue + R[k, 2]).mean() for k in range(D.K)])
            acc = {}
            for _ in range(args.simulate):
                ys = (rng.random(len(z)) < sig(z)).astype(float)
                for name, (lc, slope) in variants(D, ys, fast=True)[0].items():
                    acc.setdefault(name, []).append((lc - truth, slope))
            print(f" truth: {tname}")
            for name, v in acc.items():
                err = np.mean([e for e, _ in v], 0)
                rmse = np.sqrt(np.mean([e ** 2 for e, _ in v], 0))
                sl = np.mean([s for _, s in v], 0)
                print(f"  {name:46s} rmse max {rmse.max():5.2f}  " + " ".join(
                    f"{e:+7.2f}/{s:6.2f}" for e, s in zip(err, sl)))


if __name__ == "__main__":
    main()
