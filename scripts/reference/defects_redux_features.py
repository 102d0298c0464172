"""Do item-text signals, or a learned score over votes and text, beat the default defect screen?

Reference analysis behind "Signals tried for F1 0.40" in BENCHMARKS.md (not needed by any test).
The default screen is "any error-severity flag, or no model chose the key" (F1 0.327 on
MMLU-Redux with the rules of this round). Two kinds of candidates are scored against "any non-ok
label", in-sample and with leave-one-subject-out cross-validation (each held-out subject gets the
setting fit on the other 28; held-out flags are pooled and scored once):

1. a logistic model over a handful of per-item features (vote statistics, answer entropy,
   weighted miss share, subject accuracy, item text features, every rule flag), its threshold the
   best F1 on the training subjects;
2. one extra signal OR-ed onto the default, its parameter chosen per fold from a small grid
   (including "add nothing").

Usage (from the repository root, shared/ next to it):

    cargo run --release -p benchlens-cli -- defects ../shared/data/mmlu-redux-dev/labels \\
        --predictions ../shared/data/mmlu-redux-dev/predictions > /tmp/redux_flags.csv
    python3 scripts/reference/defects_redux_features.py /tmp/redux_flags.csv

Needs numpy, pandas and scikit-learn.
"""

import ast
import collections
import difflib
import json
import os
import re
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))
import defects_redux_votes as V  # noqa: E402

warnings.filterwarnings("ignore")


def load():
    rows = []
    for name in sorted(os.listdir(os.path.join(V.ROOT, "labels"))):
        subject = name[len("mmlu_"):-len(".csv")]
        lab = V.read_labels(os.path.join(V.ROOT, "labels", name))
        pred = pd.read_csv(os.path.join(V.ROOT, "predictions", subject + ".csv"), dtype=str,
                           keep_default_na=False)
        models = [c for c in pred.columns if c not in ("question", "choices", "answer")]
        for r in range(len(lab)):
            raw = lab["choices"].iloc[r]
            try:
                choices = json.loads(raw)
            except ValueError:
                choices = ast.literal_eval(raw)
            answers = [pred[m].iloc[r].strip() for m in models]
            rows.append(dict(subject=subject, row=r + 1, key=int(lab["answer"].iloc[r]),
                             label=V.norm_label(lab["error_type"].iloc[r]),
                             question=lab["question"].iloc[r], choices=[str(c) for c in choices],
                             answers=[V.LETTERS.index(a) if a in V.LETTERS else -1
                                      for a in answers]))
    return rows, models


def main(flags_csv):
    rows, models = load()
    n, m = len(rows), len(models)
    index = {(r["subject"], r["row"]): i for i, r in enumerate(rows)}
    flags = pd.read_csv(flags_csv)
    checks = sorted(set(flags.check) - {"model_disagreement"})
    per_check = {c: np.zeros(n) for c in checks}
    err = np.zeros(n, bool)
    warn = np.zeros(n, bool)
    for f in flags.itertuples():
        i = index[(f.subject, f.row)]
        if f.check in per_check:
            per_check[f.check][i] = 1
        err[i] |= f.severity == "error"
        warn[i] |= f.severity == "warning"
    y = np.array([r["label"] != "ok" for r in rows])
    subj = np.array([r["subject"] for r in rows])
    subjects = sorted(set(subj))
    A = np.array([r["answers"] for r in rows])
    key = np.array([r["key"] for r in rows])
    answered, correct = A >= 0, A == key[:, None]
    nans = answered.sum(1)
    miss = (answered & ~correct).sum(1)
    share = miss / np.maximum(nans, 1)
    votes = np.stack([(A == j).sum(1) for j in range(4)], 1)
    other = votes.copy()
    other[np.arange(n), key] = -1
    top = other.max(1) / np.maximum(nans, 1)
    p = votes / np.maximum(nans, 1)[:, None]
    entropy = -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)).sum(1)
    options_voted = (votes > 0).sum(1)
    acc_rest = np.zeros((n, m))
    for s in subjects:
        acc_rest[subj == s] = correct[subj != s].sum(0) / answered[subj != s].sum(0)
    w = np.log(acc_rest / (1 - acc_rest))
    wmiss = ((answered & ~correct) * w).sum(1) / (answered * w).sum(1)
    sub_acc = {s: correct[subj == s].sum() / answered[subj == s].sum() for s in subjects}
    sacc = np.array([sub_acc[s] for s in subj])
    # The strongest k models of the file (accuracy on the key, no labels) all miss the key.
    acc_file = np.zeros((n, m))
    for s in subjects:
        acc_file[subj == s] = correct[subj == s].sum(0) / answered[subj == s].sum(0)
    order = np.argsort(-acc_file, axis=1)
    strong_miss = {}
    for k in (3, 5, 7):
        strong = np.zeros((n, m), bool)
        np.put_along_axis(strong, order[:, :k], True, axis=1)
        strong_miss[k] = ((answered & ~correct) & strong).sum(1) == k
    # Item text.
    q = [r["question"].strip() for r in rows]
    no_question = np.array([not ("?" in s or s.endswith(":")) for s in q])
    negated = np.array([bool(re.search(r"\b(NOT|EXCEPT|LEAST)\b", s)) for s in q])
    qlen = np.log(np.array([len(s) for s in q]) + 1)
    lens = [[len(c) for c in r["choices"]] for r in rows]
    key_longest = np.array([max(L) == L[k] and L.count(max(L)) == 1 for L, k in zip(lens, key)])

    def max_similarity(choices):
        c = [x.strip().lower() for x in choices]
        return max(difflib.SequenceMatcher(None, c[a], c[b]).ratio()
                   for a in range(len(c)) for b in range(a + 1, len(c)))

    similar = np.array([max_similarity(r["choices"]) for r in rows])
    all_miss = share == 1
    default = err | all_miss

    def f1(pred, mask):
        tp = (pred & y & mask).sum()
        return 2 * tp / max((pred & mask).sum() + (y & mask).sum(), 1)

    everyone = np.ones(n, bool)

    def best_threshold(s, mask):
        best = (0.0, np.inf)
        for t in np.sort(np.unique(s[mask]))[::-1][:400]:
            v = f1((s >= t) & mask, mask)
            if v > best[0]:
                best = (v, t)
        return best

    print(f"default: flagged {default.sum()}, TP {(default & y).sum()}, "
          f"F1 {f1(default, everyone):.3f}; error flags {err.sum()} ({(err & y).sum()} labelled)")
    print("\n1. Logistic model (standardised features, C = 1), threshold = best F1 on the fold")
    print("| features | F1 in-sample | F1 cross-validated | flagged (CV) | TP (CV) |")
    print("|---|---|---|---|---|")
    vote = [err, share, all_miss]
    sets = [
        ("error flag, miss share, all miss", vote),
        ("+ largest non-key bloc", vote + [top]),
        ("+ answer entropy", vote + [top, entropy]),
        ("+ accuracy-weighted miss share", vote + [top, entropy, wmiss]),
        ("+ subject accuracy", vote + [top, entropy, wmiss, sacc]),
        ("+ no question mark", vote + [top, entropy, wmiss, sacc, no_question]),
        ("+ option similarity, key longest, question length",
         vote + [top, entropy, wmiss, sacc, no_question, similar, key_longest, qlen]),
        ("+ every rule flag", vote + [top, entropy, wmiss, sacc, no_question, similar,
                                      key_longest, qlen] + list(per_check.values())),
    ]
    for name, cols in sets:
        X = np.column_stack(cols).astype(float)
        X = (X - X.mean(0)) / (X.std(0) + 1e-9)
        s = LogisticRegression(max_iter=2000).fit(X, y).decision_function(X)
        ins = best_threshold(s, everyone)[0]
        pooled = np.zeros(n, bool)
        for sj in subjects:
            tr = subj != sj
            lr = LogisticRegression(max_iter=2000).fit(X[tr], y[tr])
            t = best_threshold(lr.decision_function(X), tr)[1]
            pooled[~tr] = lr.decision_function(X[~tr]) >= t
        print(f"| {name} | {ins:.3f} | {f1(pooled, everyone):.3f} | {pooled.sum()} | "
              f"{(pooled & y).sum()} |")

    print("\n2. One signal OR-ed onto the default, parameter chosen per fold (or nothing added)")
    print("| added signal | F1 in-sample (choice) | F1 cross-validated | flagged (CV) | TP (CV) |"
          " folds adding nothing |")
    print("|---|---|---|---|---|---|")

    def family(name, cands):
        cands = [("nothing", np.zeros(n, bool))] + cands
        preds = [default | c for _, c in cands]
        pick = lambda mask: max(range(len(cands)), key=lambda j: (f1(preds[j], mask),  # noqa
                                                                 -preds[j].sum()))
        ins = pick(everyone)
        pooled = np.zeros(n, bool)
        chosen = collections.Counter()
        for s in subjects:
            j = pick(subj != s)
            chosen[cands[j][0]] += 1
            pooled[subj == s] = preds[j][subj == s]
        print(f"| {name} | {f1(preds[ins], everyone):.3f} ({cands[ins][0]}) | "
              f"{f1(pooled, everyone):.3f} | {pooled.sum()} | {(pooled & y).sum()} | "
              f"{chosen['nothing']} of 29 |")

    family("k or more models miss", [(f"k={k}", miss >= k) for k in range(6, 14)])
    family("k or more miss, question without '?'",
           [(f"k={k}", (miss >= k) & no_question) for k in range(6, 14)])
    family("k or more miss, NOT/EXCEPT/LEAST question",
           [(f"k={k}", (miss >= k) & negated) for k in range(4, 14)])
    family("answer entropy >= t", [(f"t={t:.2f}", entropy >= t) for t in np.arange(0.6, 1.4, .05)])
    family("all four options chosen, k or more miss",
           [(f"k={k}", (options_voted == 4) & (miss >= k)) for k in range(4, 14)])
    for k in (3, 5, 7):
        family(f"the file's {k} strongest models all miss, j or more miss",
               [(f"j={j}", strong_miss[k] & (miss >= j)) for j in range(k, 14)])
    family("near-identical options (similarity >= t), k or more miss",
           [(f"t={t},k={k}", (similar >= t) & (miss >= k)) for t in (0.8, 0.9, 0.95)
            for k in (4, 7, 10)])
    family("fragment warning", [("fragment", per_check.get("fragment", np.zeros(n)) > 0)])
    family("any warning, k or more miss", [(f"k={k}", warn & (miss >= k)) for k in range(1, 14)])


if __name__ == "__main__":
    main(sys.argv[1])
