//! The little dense linear algebra the rating fits need: a Cholesky factorisation for Newton steps
//! and sandwich covariances. Matrices are row-major `n × n` slices; sizes are the number of models
//! in one comparison graph (tens to a few hundred), where a dense factorisation is both the
//! simplest and the fastest choice.

/// Factorises a symmetric positive-definite matrix in place into its lower Cholesky factor.
/// Returns false when the matrix is not numerically positive definite.
pub fn cholesky_in_place(a: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in (j + 1)..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    true
}

/// Solves `L Lᵀ x = b` in place given the factor from [`cholesky_in_place`].
pub fn cholesky_solve(l: &[f64], n: usize, b: &mut [f64]) {
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in (i + 1)..n {
            s -= l[k * n + i] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

/// Solves `A x = b` for symmetric positive-definite `A` (consumed as scratch). None when `A` is
/// not positive definite.
pub fn solve_spd(mut a: Vec<f64>, n: usize, mut b: Vec<f64>) -> Option<Vec<f64>> {
    if !cholesky_in_place(&mut a, n) {
        return None;
    }
    cholesky_solve(&a, n, &mut b);
    Some(b)
}

/// Inverse of a symmetric positive-definite matrix. None when it is not positive definite.
pub fn inverse_spd(mut a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    if !cholesky_in_place(&mut a, n) {
        return None;
    }
    let mut inv = vec![0.0; n * n];
    let mut col = vec![0.0; n];
    for j in 0..n {
        col.iter_mut().for_each(|c| *c = 0.0);
        col[j] = 1.0;
        cholesky_solve(&a, n, &mut col);
        for i in 0..n {
            inv[i * n + j] = col[i];
        }
    }
    Some(inv)
}

/// `C = A B` for square row-major matrices.
pub fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            if aik == 0.0 {
                continue;
            }
            for j in 0..n {
                c[i * n + j] += aik * b[k * n + j];
            }
        }
    }
    c
}

/// Adds `value` to the pairwise (graph Laplacian) pattern of models `i` and `j`: the shape every
/// Bradley–Terry Hessian and score covariance has.
pub fn add_pair(m: &mut [f64], n: usize, i: usize, j: usize, value: f64) {
    m[i * n + i] += value;
    m[j * n + j] += value;
    m[i * n + j] -= value;
    m[j * n + i] -= value;
}

/// Numerically stable logistic function.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow.
pub fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_inverts_spd() {
        let a = vec![4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 2.0];
        let x = solve_spd(a.clone(), 3, vec![1.0, 2.0, 3.0]).expect("spd");
        for i in 0..3 {
            let r: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((r - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let inv = inverse_spd(a.clone(), 3).expect("spd");
        let id = matmul(&a, &inv, 3);
        for i in 0..3 {
            for j in 0..3 {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((id[i * 3 + j] - want).abs() < 1e-12);
            }
        }
        assert!(solve_spd(vec![1.0, 2.0, 2.0, 1.0], 2, vec![0.0, 0.0]).is_none());
    }

    #[test]
    fn logistic_helpers_are_stable() {
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(800.0) <= 1.0);
        assert!((softplus(800.0) - 800.0).abs() < 1e-9);
        assert!((softplus(0.0) - 2f64.ln()).abs() < 1e-15);
    }
}
