//! The little dense linear algebra of the Newton fits (ratings, the judge GLMs) and their
//! sandwich covariances: one Cholesky factorisation serves every symmetric positive-definite
//! solve, whether the matrix is a row-major `n × n` slice or a fixed-size array. Sizes are a few
//! coefficients up to a few hundred models, where a dense factorisation is both the simplest and
//! the fastest choice.

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

/// [`solve_spd`] for a fixed-size system (the judge GLMs' few coefficients). None when `a` is not
/// positive definite.
pub fn solve_spd_fixed<const P: usize>(a: &[[f64; P]; P], b: &[f64; P]) -> Option<[f64; P]> {
    let x = solve_spd(a.iter().flatten().copied().collect(), P, b.to_vec())?;
    x.try_into().ok()
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
    fn fixed_size_solve_is_the_slice_solve() {
        let a = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]];
        let x = solve_spd_fixed(&a, &[1.0, 2.0, 3.0]).expect("spd");
        let flat = a.iter().flatten().copied().collect();
        assert_eq!(x.to_vec(), solve_spd(flat, 3, vec![1.0, 2.0, 3.0]).expect("spd"));
        assert!(solve_spd_fixed(&[[1.0, 2.0], [2.0, 1.0]], &[0.0, 0.0]).is_none());
    }
}
