"""Independent cross-check of benchlens' Arena-Hard style control (docs/judge.md) on the
hand-made fixture: builds the score rows (>> counts 3 times), the four style features
(length ratio; header/list/bold density ratios with +1), standardises them with the sample sd
over score rows, and fits the Bradley-Terry model (one strength per model, baseline at 0, plus
style coefficients) by maximum likelihood with scipy. Writes
crates/engine/tests/fixtures/judge/arena_hard_style.json. No bootstrap (point estimates only).

Run: python3 scripts/reference/judge_arena_style.py  (numpy, scipy)
"""
import json
import os

import numpy as np
from scipy.optimize import minimize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "crates", "engine", "tests", "fixtures", "judge")
SCORE = {"A>B": (1, 1), "A>>B": (1, 3), "A=B": (0.5, 1), "B>A": (0, 1), "B>>A": (0, 3),
         "A<B": (0, 1), "A<<B": (0, 3), "B=A": (0.5, 1), "B<A": (1, 1), "B<<A": (1, 3)}


def main():
    answers = {}
    for line in open(os.path.join(FIX, "arena_hard_style_answers.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        md = r["metadata"]
        answers[(r["model"], r["uid"])] = np.array([
            md["token_len"], sum(md["header_count"].values()),
            sum(md["list_count"].values()), sum(md["bold_count"].values())], float)
    rows = []
    for line in open(os.path.join(FIX, "arena_hard_style_judgments.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        s1, n1 = SCORE[r["games"][0]["score"]]
        s2, n2 = SCORE[r["games"][1]["score"]]
        m, b = answers[(r["model"], r["uid"])], answers[("base", r["uid"])]
        f = np.zeros(4)
        f[0] = (m[0] - b[0]) / (m[0] + b[0])
        dm, db = m[1:] / m[0], b[1:] / b[0]
        f[1:] = (dm - db) / (dm + db + 1)
        rows += [(r["model"], 1 - s1, f)] * n1 + [(r["model"], s2, f)] * n2
    models = sorted({r[0] for r in rows})
    X = np.array([r[2] for r in rows])
    X = (X - X.mean(0)) / X.std(0, ddof=1)
    y = np.array([r[1] for r in rows], float)
    mi = np.array([models.index(r[0]) for r in rows])
    out = {}
    for name, cols in [("length", [0]), ("markdown", [1, 2, 3]), ("length-and-markdown", [0, 1, 2, 3])]:
        Xc = X[:, cols]
        K, F = len(models), len(cols)

        def nll(p):
            z = p[mi] + Xc @ p[K:]
            r = 1 / (1 + np.exp(-z)) - y
            g = np.concatenate([np.bincount(mi, r, K), Xc.T @ r])
            return np.sum(np.logaddexp(0, z) - y * z), g

        p = minimize(nll, np.zeros(K + F), jac=True, method="BFGS", options={"gtol": 1e-10}).x
        out[name] = {"win": {m: float(1 / (1 + np.exp(-p[i]))) for i, m in enumerate(models)},
                     "coefficients": [float(v) for v in p[K:]], "rows": len(rows)}
    with open(os.path.join(FIX, "arena_hard_style.json"), "w", encoding="utf-8") as fh:
        json.dump({"method": "scripts/reference/judge_arena_style.py", "fits": out}, fh, indent=1, sort_keys=True)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
