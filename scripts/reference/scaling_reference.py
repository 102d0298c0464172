#!/usr/bin/env python3
"""Independent reference for benchlens' scaling-law engine (numpy + scipy only).

Written from the method descriptions (Hoffmann et al. 2022 App. D.2; Besiroglu et al. 2024;
Sardana et al. 2023), not from any other implementation. Writes fixtures into
crates/engine/tests/fixtures/scaling/ that the Rust tests in crates/engine/tests/scaling_reference.rs
compare against:

- runs_<name>.csv            synthetic runs (numpy generator, own seeds)
- approach3_<name>.json      scipy L-BFGS-B fits of the log-sum-exp objective: best over a
                             start grid, the objective at fixed thetas, fits from poor starts,
                             and the "unscaled objective, default tolerances" trap for contrast
- models_trend.json          the robust MMLU sigmoid on shared/data/models/models.csv
- inference.json             Sardana et al. inference-aware optima via scipy.optimize
- allocation.json            closed-form allocation numbers of the published fits
- timing.json                wall/CPU time of the 4,500-start scipy grid (for docs/benchmarks)

Usage: python3 scripts/reference/scaling_reference.py [--skip-grid-timing]
       python3 scripts/reference/scaling_reference.py --time-grid   (only times the 4,500-start
       grid on runs_epoch250.csv and writes timing_full_grid.json; fixtures are left alone)
       python3 scripts/reference/scaling_reference.py --approach2    (only approach2.json)
"""
import csv
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import logsumexp

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "engine", "tests", "fixtures", "scaling")
MODELS = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "models", "models.csv"))
DELTA = 1e-3  # Hoffmann et al. 2022, App. D.2

FITS = {
    "hoffmann": dict(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28),
    "hoffmann-unrounded": dict(E=1.69337368, A=406.401018, B=410.722827, alpha=0.33917084, beta=0.2849083),
    "epoch": dict(E=1.8169, A=482.01, B=2085.43, alpha=0.3478, beta=0.3659),
}


# ---------------------------------------------------------------- data
def make_runs(law, n, noise, seed, log_c=(18.0, 22.0), levels=8):
    """Runs on isoFLOP levels, sizes log-uniform over +-1 decade around sqrt(C/6)·k."""
    rng = np.random.default_rng(seed)
    cs = 10.0 ** np.linspace(log_c[0], log_c[1], levels)
    c = rng.choice(cs, size=n)
    # Centre on the law's compute-optimal size (closed form) so both sides of the optimum appear.
    s = law["alpha"] + law["beta"]
    g = (law["alpha"] * law["A"] / (law["beta"] * law["B"])) ** (1 / s)
    centre = g * (c / 6) ** (law["beta"] / s)
    N = centre * 10.0 ** rng.uniform(-1.0, 1.0, size=n)
    D = c / (6 * N)
    L = (law["E"] + law["A"] / N ** law["alpha"] + law["B"] / D ** law["beta"]) * np.exp(noise * rng.standard_normal(n))
    return N, D, L


# ---------------------------------------------------------------- objective
def huber(r, delta):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


def huber_grad(r, delta):
    return np.clip(r, -delta, delta)


def objective(theta, lnN, lnD, lnL, loss):
    a, b, e, al, be = theta
    terms = np.stack([a - al * lnN, b - be * lnD, np.full_like(lnN, e)])
    lse = logsumexp(terms, axis=0)
    r = lse - lnL
    if loss == "huber":
        f = huber(r, DELTA).sum()
        dr = huber_grad(r, DELTA)
    else:  # l2
        f = 0.5 * (r * r).sum()
        dr = r
    w = np.exp(terms - lse)  # softmax weights
    g = np.array([
        (dr * w[0]).sum(),
        (dr * w[1]).sum(),
        (dr * w[2]).sum(),
        -(dr * w[0] * lnN).sum(),
        -(dr * w[1] * lnD).sum(),
    ])
    return f, g


def fit_from(theta0, lnN, lnD, lnL, loss, scaled=True):
    """L-BFGS-B from one start. Scaled: objective divided by its size for a 1% residual, and
    tight tolerances, so the optimiser does not stop on a 1e-3-sized objective."""
    n = len(lnN)
    s = n * (huber(np.array([1e-2]), DELTA)[0] if loss == "huber" else 0.5e-4) if scaled else 1.0

    def fun(t):
        f, g = objective(t, lnN, lnD, lnL, loss)
        return f / s, g / s

    opts = dict(maxiter=10000, ftol=1e-15, gtol=1e-12, maxcor=10) if scaled else {}
    res = minimize(fun, np.asarray(theta0, float), jac=True, method="L-BFGS-B", options=opts)
    return res.x, res.fun * s


def hoffmann_grid():
    g = []
    for a in np.arange(0, 30, 5):
        for b in np.arange(0, 30, 5):
            for e in np.arange(-1, 1.5, 0.5):
                for al in np.arange(0, 2.5, 0.5):
                    for be in np.arange(0, 2.5, 0.5):
                        g.append([a, b, e, al, be])
    return np.array(g, float)


POOR_STARTS = [
    [0.0, 0.0, -1.0, 0.0, 0.0],
    [25.0, 25.0, 1.0, 2.0, 2.0],
    [5.0, 20.0, 0.5, 1.5, 0.1],
    [2.0, 2.0, 1.5, 0.05, 0.05],
    [15.0, 0.0, -1.0, 1.0, 0.0],
]


def write_csv(path, N, D, L):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run", "params", "tokens", "loss"])
        for i, (n, d, l) in enumerate(zip(N, D, L)):
            w.writerow([f"ref-{i:04d}", repr(float(n)), repr(float(d)), repr(float(l))])


def approach3_case(name, law, n, noise, seed, losses, starts, timing=None):
    N, D, L = make_runs(law, n, noise, seed)
    write_csv(os.path.join(OUT, f"runs_{name}.csv"), N, D, L)
    lnN, lnD, lnL = np.log(N), np.log(D), np.log(L)
    out = {"name": name, "law": law, "n": n, "noise": noise, "seed": seed, "fits": {}}
    for loss in losses:
        t0, c0 = time.time(), time.process_time()
        best = None
        for s in starts:
            x, f = fit_from(s, lnN, lnD, lnL, loss)
            if np.all(np.isfinite(x)) and np.isfinite(f) and (best is None or f < best[1]):
                best = (x, f)
        elapsed = (time.time() - t0, time.process_time() - c0)
        x, f = best
        poor = []
        for s in POOR_STARTS:
            xs, fs = fit_from(s, lnN, lnD, lnL, loss)
            xu, fu = fit_from(s, lnN, lnD, lnL, loss, scaled=False)
            poor.append({"start": s, "theta": xs.tolist(), "objective": float(fs),
                         "unscaled_default_tol_objective": float(fu)})
        probes = [list(map(float, t)) for t in ([6.0, 7.0, 0.5, 0.34, 0.28], [0.0, 0.0, 0.0, 0.0, 0.0], x.tolist())]
        out["fits"][loss] = {
            "theta": x.tolist(),
            "params": {"E": float(np.exp(x[2])), "A": float(np.exp(x[0])), "B": float(np.exp(x[1])),
                       "alpha": float(x[3]), "beta": float(x[4])},
            "objective": float(f),
            "starts": len(starts),
            "seconds_wall": elapsed[0],
            "seconds_cpu": elapsed[1],
            "probes": [{"theta": t, "objective": float(objective(np.array(t), lnN, lnD, lnL, loss)[0])} for t in probes],
            "poor_starts": poor,
        }
        if timing is not None and loss == "huber":
            timing[name] = {"starts": len(starts), "points": n, "seconds_wall": elapsed[0], "seconds_cpu": elapsed[1]}
    with open(os.path.join(OUT, f"approach3_{name}.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(name, out["fits"][losses[0]]["params"], out["fits"][losses[0]]["objective"], file=sys.stderr)


# ---------------------------------------------------------------- allocation
def allocation():
    res = {}
    for k, p in FITS.items():
        s = p["alpha"] + p["beta"]
        a, b = p["beta"] / s, p["alpha"] / s
        G = (p["alpha"] * p["A"] / (p["beta"] * p["B"])) ** (1 / s)
        # D_opt for a model of N params: the compute where N is optimal, divided by 6N.
        d8 = (8e9 / G) ** (1 / a) / 8e9
        c = 5.76e23  # Gopher's budget, Hoffmann et al. 2022 Table 3
        res[k] = {"a": a, "b": b, "G": G, "d_opt_8b": d8, "llama3_8b_over_training": 15e12 / d8,
                  "n_opt_gopher_budget": G * (c / 6) ** a, "d_opt_gopher_budget": (c / 6) ** b / G}
    with open(os.path.join(OUT, "allocation.json"), "w") as f:
        json.dump(res, f, indent=1)


# ---------------------------------------------------------------- inference-aware
def inference():
    out = []
    for k in ["hoffmann", "epoch"]:
        p = FITS[k]
        for target in [2.1, 2.3]:
            for T in [0.0, 1e10, 1e12, 1e14]:
                def cost(u):
                    n = np.exp(u)
                    room = target - p["E"] - p["A"] / n ** p["alpha"]
                    if room <= 0:
                        return np.inf
                    d = (p["B"] / room) ** (1 / p["beta"])
                    return np.log(6 * n * d + 2 * n * T)
                nmin = np.log((p["A"] / (target - p["E"])) ** (1 / p["alpha"]))
                grid = np.linspace(nmin + 1e-6, nmin + 28, 2000)
                i = int(np.argmin([cost(u) for u in grid]))
                r = minimize_scalar(cost, bounds=(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]),
                                    method="bounded", options={"xatol": 1e-12})
                n = float(np.exp(r.x))
                d = float((p["B"] / (target - p["E"] - p["A"] / n ** p["alpha"])) ** (1 / p["beta"]))
                out.append({"fit": k, "target_loss": target, "inference_tokens": T, "params": n, "tokens": d,
                            "total_flops": 6 * n * d + 2 * n * T})
    with open(os.path.join(OUT, "inference.json"), "w") as f:
        json.dump(out, f, indent=1)


# ---------------------------------------------------------------- score trend
def models_trend():
    rows = list(csv.DictReader(open(MODELS)))
    pts = []
    for r in rows:
        if r["tokens_T"].strip() and r["mmlu_5shot"].strip():
            c = 6 * float(r["params_B"]) * 1e9 * float(r["tokens_T"]) * 1e12
            pts.append((r["model"], np.log10(c), float(r["mmlu_5shot"])))
    x = np.array([p[1] for p in pts])
    s = np.array([p[2] for p in pts])
    floor, ceil = 25.0, 100.0  # 4-option chance (MMLU), percent scale

    def pred(th):
        k, x0 = np.exp(th[0]), th[1]
        return floor + (ceil - floor) / (1 + np.exp(-k * (x - x0)))

    def loss(th, c):
        r = s - pred(th)
        a = np.abs(r)
        return np.where(a <= c, 0.5 * r * r, c * (a - 0.5 * c)).sum()

    def mad(v):
        return np.median(np.abs(v - np.median(v)))

    best = None
    for x0 in np.linspace(x.min(), x.max(), 7):
        for k in [0.25, 0.5, 1, 2, 4]:
            r = minimize(lambda t: loss(t, np.inf), [np.log(k), x0], method="Nelder-Mead",
                         options=dict(xatol=1e-12, fatol=1e-14, maxiter=20000))
            if best is None or r.fun < best.fun:
                best = r
    th = best.x
    sigma = 1.4826 * mad(s - pred(th))
    for _ in range(3):  # Huber M-estimate, c = 1.345 sigma, scale re-estimated
        th = minimize(lambda t: loss(t, 1.345 * sigma), th, method="Nelder-Mead",
                      options=dict(xatol=1e-12, fatol=1e-14, maxiter=20000)).x
        sigma = 1.4826 * mad(s - pred(th))
    r = s - pred(th)
    z = (r - np.median(r)) / sigma
    out = {"k": float(np.exp(th[0])), "x0": float(th[1]), "sigma": float(sigma),
           "points": [{"name": p[0], "residual": float(ri), "z": float(zi)} for p, ri, zi in zip(pts, r, z)],
           "outliers_high": sorted(p[0] for p, zi in zip(pts, z) if zi > 2),
           "outliers_low": sorted(p[0] for p, zi in zip(pts, z) if zi < -2)}
    with open(os.path.join(OUT, "models_trend.json"), "w") as f:
        json.dump(out, f, indent=1)
    print("trend", out["k"], out["x0"], out["outliers_high"], out["outliers_low"], file=sys.stderr)


def time_full_grid():
    rows = list(csv.DictReader(open(os.path.join(OUT, "runs_epoch250.csv"))))
    lnN = np.log([float(r["params"]) for r in rows])
    lnD = np.log([float(r["tokens"]) for r in rows])
    lnL = np.log([float(r["loss"]) for r in rows])
    t0, c0 = time.time(), time.process_time()
    best = None
    for s in hoffmann_grid():
        x, f = fit_from(s, lnN, lnD, lnL, "huber")
        if np.all(np.isfinite(x)) and np.isfinite(f) and (best is None or f < best[1]):
            best = (x, f)
    out = {"starts": 4500, "points": len(rows), "seconds_wall": time.time() - t0,
           "seconds_cpu": time.process_time() - c0, "objective": float(best[1]),
           "theta": best[0].tolist(),
           "note": "scipy L-BFGS-B, analytic gradient, scaled objective, ftol=1e-15 gtol=1e-12; numpy "
                   + np.__version__}
    with open(os.path.join(OUT, "timing_full_grid.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(out, file=sys.stderr)


def approach2_reference():
    """Approach 2 on the runs fixtures: runs sharing a compute budget (within 2 %) form an isoFLOP
    group; loss = c0 + c1 x + c2 x^2 with x = log10 N by least squares; the vertex is the optimal
    size; log10 N_opt and log10 D_opt are regressed on log10 C."""
    out = {}
    for name in ["epoch250", "hoffmann120", "steep60"]:
        rows = list(csv.DictReader(open(os.path.join(OUT, f"runs_{name}.csv"))))
        N = np.array([float(r["params"]) for r in rows])
        D = np.array([float(r["tokens"]) for r in rows])
        L = np.array([float(r["loss"]) for r in rows])
        C = 6 * N * D
        groups, minima = [], []
        for c in sorted(set(np.round(np.log10(C), 6))):
            m = np.abs(np.log10(C) - c) < np.log10(1.02)
            if len(np.unique(N[m])) < 3:
                continue
            x = np.log10(N[m])
            c2, c1, c0 = np.polyfit(x, L[m], 2)
            if c2 <= 0:
                continue
            xs = -c1 / (2 * c2)
            inside = bool(x.min() <= xs <= x.max())
            cg = float(np.exp(np.mean(np.log(C[m]))))
            groups.append({"compute": cg, "runs": int(m.sum()), "coefficients": [c0, c1, c2],
                           "n_opt": 10 ** xs, "within_range": inside})
            if inside:
                minima.append((np.log10(cg), xs, np.log10(cg / (6 * 10 ** xs))))
        mn = np.array(minima)
        a, la = np.polyfit(mn[:, 0], mn[:, 1], 1)
        b, lb = np.polyfit(mn[:, 0], mn[:, 2], 1)
        out[name] = {"groups": groups, "a": a, "log10_a_coefficient": la, "b": b, "log10_b_coefficient": lb}
    with open(os.path.join(OUT, "approach2.json"), "w") as f:
        json.dump(out, f, indent=1, default=float)


def main():
    os.makedirs(OUT, exist_ok=True)
    if "--approach2" in sys.argv:
        approach2_reference()
        return
    if "--time-grid" in sys.argv:
        time_full_grid()
        return
    skip_grid = "--skip-grid-timing" in sys.argv
    grid = hoffmann_grid()
    assert len(grid) == 4500
    rng = np.random.default_rng(2024)
    sub = grid[rng.choice(len(grid), size=300, replace=False)]
    timing = {}
    allocation()
    inference()
    models_trend()
    approach3_case("epoch250", FITS["epoch"], 250, 0.01, 1, ["huber", "l2"],
                   sub if skip_grid else grid, timing)
    approach3_case("hoffmann120", FITS["hoffmann"], 120, 0.02, 2, ["huber", "l2"], sub)
    approach3_case("steep60", dict(E=2.2, A=1500.0, B=300.0, alpha=0.45, beta=0.22), 60, 0.01, 3,
                   ["huber"], sub)
    approach2_reference()
    if timing:
        timing["machine_note"] = "scipy L-BFGS-B with analytic gradient, one process, numpy " + np.__version__
        with open(os.path.join(OUT, "timing.json"), "w") as f:
            json.dump(timing, f, indent=1)


if __name__ == "__main__":
    main()
