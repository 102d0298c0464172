//! Judge-based evaluations: AlpacaEval (with length control), Arena-Hard, MT-Bench.
