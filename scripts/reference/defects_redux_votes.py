"""Which model-disagreement statistic, and which threshold, flags MMLU-Redux errors best?

Reference analysis behind the "Defect checks" part of BENCHMARKS.md (not needed by any test:
the numbers the engine produces are pinned in crates/engine/tests/defects_redux.rs).

Every statistic is combined with the engine's error-severity rules ("error flag, or statistic
>= threshold") and scored against "any non-ok label" two ways:
- in-sample: the best threshold chosen on all 29 subjects (optimistic);
- cross-validated: for each subject, the threshold that is best on the other 28 is applied to
  it; the held-out predictions are pooled and scored once.

It also bounds what any detector built from these signals can reach: cells of items that share
(models missing the key, size of the largest non-key bloc, set of rule flags) are added best
precision first, *choosing them with the labels*, and the best F1 along the way is reported.

Usage (from the repository root, shared/ next to it):

    cargo run --release -p benchlens-cli -- defects ../shared/data/mmlu-redux-dev/labels \
        --predictions ../shared/data/mmlu-redux-dev/predictions > /tmp/redux_flags.csv
    python3 scripts/reference/defects_redux_votes.py /tmp/redux_flags.csv

Needs numpy and pandas.
"""

import collections
import io
import os
import re
import sys

import numpy as np
import pandas as pd

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mmlu-redux-dev")
LETTERS = "ABCD"


def read_labels(path):
    """The label files are messy on purpose: ';' or ',' delimiters, one MacRoman file."""
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("mac_roman")
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    df.columns = [c.strip().lower() for c in df.columns]
    return df


def norm_label(s):
    s = re.sub(r"[\s\-]+", "_", s.strip().lower())
    return s or "unlabelled"


def norm_q(s):
    return re.sub(r"\s+", " ", s).strip().lower()


def load():
    rows = []
    for name in sorted(os.listdir(os.path.join(ROOT, "labels"))):
        subject = name[len("mmlu_"):-len(".csv")]
        lab = read_labels(os.path.join(ROOT, "labels", name))
        pred = pd.read_csv(os.path.join(ROOT, "predictions", subject + ".csv"), dtype=str,
                           keep_default_na=False)
        models = [c for c in pred.columns if c not in ("question", "choices", "answer")]
        assert len(lab) == len(pred) == 100, subject
        for r in range(len(lab)):
            # The two files list the same items in the same order (checked here).
            assert norm_q(lab["question"].iloc[r]) == norm_q(pred["question"].iloc[r]), (subject, r)
            answers = [pred[m].iloc[r].strip() for m in models]
            rows.append(dict(subject=subject, row=r + 1, key=int(lab["answer"].iloc[r]),
                             label=norm_label(lab["error_type"].iloc[r]),
                             answers=[LETTERS.index(a) if a in LETTERS else -1 for a in answers]))
    return rows, models


def main(flags_csv):
    items, models = load()
    n, m = len(items), len(models)
    flags = pd.read_csv(flags_csv, dtype={"row": int})
    rule_flags = collections.defaultdict(set)
    for f in flags.itertuples():
        if f.check != "model_disagreement":
            rule_flags[(f.subject, f.row)].add((f.check, f.severity))
    err = np.array([any(s == "error" for _, s in rule_flags[(it["subject"], it["row"])])
                    for it in items])
    y = np.array([it["label"] != "ok" for it in items])
    subj = np.array([it["subject"] for it in items])
    A = np.array([it["answers"] for it in items])
    key = np.array([it["key"] for it in items])
    answered = A >= 0
    correct = A == key[:, None]
    miss = (answered & ~correct).sum(1)
    nans = answered.sum(1)
    share = miss / np.maximum(nans, 1)
    votes = np.stack([(A == j).sum(1) for j in range(4)], 1)
    other = votes.copy()
    other[np.arange(n), key] = -1
    top = other.max(1)
    subjects = sorted(set(subj))

    # Accuracy of each model on the rest of the benchmark (the other subjects): no labels used.
    acc_rest = np.zeros((n, m))
    for s in subjects:
        rest = subj != s
        acc_rest[subj == s] = correct[rest].sum(0) / np.maximum(answered[rest].sum(0), 1)
    w = np.log(acc_rest / (1 - acc_rest))
    wmiss = ((answered & ~correct) * w).sum(1) / (answered * w).sum(1)
    # Subject difficulty from the file itself: mean share of (item, model) answers on the key.
    sub_acc = {s: correct[subj == s].sum() / answered[subj == s].sum() for s in subjects}
    sa = np.array([sub_acc[s] for s in subj])
    # Naive-Bayes log-odds that the key is wrong, with each model's accuracy in this subject
    # (leave-this-item-out) and a uniform choice among the other options otherwise.
    nb = np.zeros(n)
    for s in subjects:
        idx = np.where(subj == s)[0]
        tot_c, tot_a = correct[idx].sum(0), answered[idx].sum(0)
        for i in idx:
            p = (tot_c - correct[i] + 1) / (tot_a - answered[i] + 2)
            ll_right = np.where(correct[i], np.log(p), np.log((1 - p) / 3))[answered[i]].sum()
            alts = []
            for t in range(4):
                if t == key[i]:
                    continue
                hit = A[i] == t
                alts.append(np.where(hit, np.log(p), np.log((1 - p) / 3))[answered[i]].sum())
            nb[i] = np.logaddexp.reduce(alts) - np.log(3) - ll_right

    def f1(pred, mask=None):
        mask = np.ones(n, bool) if mask is None else mask
        tp = (pred & y & mask).sum()
        return 2 * tp / max((pred & mask).sum() + (y & mask).sum(), 1)

    def prf(pred):
        tp, fl = (pred & y).sum(), pred.sum()
        p, r = tp / max(fl, 1), tp / y.sum()
        return fl, tp, p, r, 2 * p * r / max(p + r, 1e-12)

    def evaluate(cands):
        """cands: {threshold label: bool array}. In-sample best and cross-validated."""
        names = list(cands)
        preds = [cands[k] | err for k in names]
        ins = max(range(len(names)), key=lambda j: (f1(preds[j]), -preds[j].sum()))
        pooled = np.zeros(n, bool)
        chosen = collections.Counter()
        for s in subjects:
            train = subj != s
            j = max(range(len(names)), key=lambda j: (f1(preds[j], train), -preds[j][train].sum()))
            chosen[names[j]] += 1
            pooled[~train] = preds[j][~train]
        return names[ins], prf(preds[ins]), prf(pooled), chosen

    families = {
        "k of m agree on one non-key answer (k)": {k: top >= k for k in range(1, m + 1)},
        "models missing the key (count)": {k: miss >= k for k in range(1, m + 1)},
        "accuracy-weighted miss share (weights: log-odds of accuracy on the other subjects)":
            {round(float(t), 2): wmiss >= t - 1e-9 for t in np.arange(0.50, 1.001, 0.01)},
        "miss share >= min(1, c*(1-subject accuracy)+d) (per-subject calibration)":
            {(float(c), round(float(d), 2)): share >= np.minimum(1, c * (1 - sa) + d) - 1e-9
             for c in np.arange(0, 4.01, 0.5) for d in np.arange(0.5, 1.001, 0.05)},
        "naive-Bayes log-odds that the key is wrong":
            {round(float(t), 1): nb >= t for t in np.arange(-5, 30.01, 0.5)},
        "all models miss and k agree (k)": {k: (miss == nans) & (top >= k) for k in range(1, m + 1)},
    }
    print("| statistic (or error flag) | in-sample threshold | in-sample flagged / TP / P / R / F1 "
          "| cross-validated flagged / TP / P / R / F1 | thresholds chosen by the 29 folds |")
    print("|---|---|---|---|---|")
    fmt = lambda r: f"{r[0]} / {r[1]} / {r[2]:.3f} / {r[3]:.3f} / **{r[4]:.3f}**"
    for name, c in families.items():
        best, ins, cv, chosen = evaluate(c)
        ch = ", ".join(f"{k} ×{v}" for k, v in chosen.most_common(3))
        print(f"| {name} | {best} | {fmt(ins)} | {fmt(cv)} | {ch} |")
    print(f"| error flags alone | – | {fmt(prf(err))} | – | – |")

    def ceiling(keys):
        cells = collections.defaultdict(lambda: [0, 0])
        for i in range(n):
            cells[keys[i]][0] += 1
            cells[keys[i]][1] += int(y[i])
        tp = fl = 0
        best = 0.0
        for size, pos in sorted(cells.values(), key=lambda c: -c[1] / c[0]):
            tp, fl = tp + pos, fl + size
            best = max(best, 2 * tp / (fl + y.sum()))
        return best, len(cells)

    rules = [tuple(sorted(c for c, _ in rule_flags[(it["subject"], it["row"])])) for it in items]
    print()
    print("Ceiling: best F1 when cells of items are chosen by looking at the labels")
    for name, keys in [
        ("models missing the key", list(miss)),
        ("models missing the key, error flag", list(zip(miss, err))),
        ("models missing, largest non-key bloc, error flag", list(zip(miss, top, err))),
        ("models missing, largest non-key bloc, every rule flag", list(zip(miss, top, rules))),
    ]:
        b, cells = ceiling(keys)
        print(f"- {name}: {b:.3f} ({cells} cells)")
    invisible = y & (miss == 0) & ~np.array([bool(r) for r in rules])
    print(f"- non-ok items with no rule flag and every model on the key: {invisible.sum()} of "
          f"{y.sum()} ({dict(collections.Counter(str(it['label']) for it, v in zip(items, invisible) if v))})")
    ok_all = (~y) & (miss == nans)
    print(f"- items labelled ok that no model answers with the key: {ok_all.sum()} "
          f"(of {(miss == nans).sum()} such items)")


if __name__ == "__main__":
    main(sys.argv[1])
