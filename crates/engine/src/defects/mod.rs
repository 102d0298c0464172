//! Benchmark defect checks: structural errors, duplicates, bias statistics, disagreement.
