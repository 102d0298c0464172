//! Scaling-law fits: Chinchilla-style loss laws, compute-optimal allocation, score trends.
