//! The Bradley–Terry-specific piece of the rating fits' linear algebra: the pairwise (graph
//! Laplacian) pattern. The general dense algebra (Cholesky, SPD solves and inverses) is in
//! [`crate::stats::linalg`].

/// Adds `value` to the pairwise (graph Laplacian) pattern of models `i` and `j`: the shape every
/// Bradley–Terry Hessian and score covariance has.
pub fn add_pair(m: &mut [f64], n: usize, i: usize, j: usize, value: f64) {
    m[i * n + i] += value;
    m[j * n + j] += value;
    m[i * n + j] -= value;
    m[j * n + i] -= value;
}
