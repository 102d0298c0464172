#!/usr/bin/env python3
"""Writes 50 AlpacaEval annotation files for the judge benchmarks (BENCHMARKS.md, issue 8).

Same construction as `crates/engine/benches/judge.rs`, on disk so the CLI and the browser can
load them: synthetic model k answers instruction i with the whole record (answers, verdict and
extra fields) of a randomly drawn real model on i, renamed. 50 x 805 = 40,250 judgments.

    python3 scripts/bench/alpaca_eval_50.py ../shared/data/alpaca-eval/annotations /tmp/ae50 [--files 50] [--seed 2024]
"""
import argparse
import json
import pathlib
import random


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source", type=pathlib.Path)
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--files", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    real = [json.loads(p.read_text()) for p in sorted(args.source.glob("*.json"))]
    n = len(real[0])
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for k in range(args.files):
        model = f"synthetic-model-{k:02d}"
        records = []
        for i in range(n):
            record = dict(rng.choice(real)[i])
            record["generator_2"] = model
            records.append(record)
        path = args.out / f"{model}.json"
        path.write_text(json.dumps(records))
        total += path.stat().st_size
    print(f"{args.files} files, {args.files * n} judgments, {total / 1e6:.0f} MB in {args.out}")


if __name__ == "__main__":
    main()
