//! The logistic function and its log-partition, in the forms that neither overflow nor lose
//! precision for large |z|: every Bradley–Terry, Davidson, GLM and score-trend fit uses these.

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
    fn logistic_helpers_are_stable() {
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(800.0) <= 1.0);
        assert!((softplus(800.0) - 800.0).abs() < 1e-9);
        assert!((softplus(0.0) - 2f64.ln()).abs() < 1e-15);
    }
}
