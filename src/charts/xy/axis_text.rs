//! How numbers read on an XY plot's log axes and in the tables beside it: whole decades as
//! "1K", "1B", "1e21", other values with three significant digits and a K/M/B/T suffix.

/// "1", "10", "1K", "1M", "1B", "1T", then "1e15" and above; small decades as "0.01".
pub fn decade_label(k: i32) -> String {
    match k {
        0..=2 => format!("{}", 10u64.pow(k as u32)),
        3..=14 => {
            let (suffix, base) = match k {
                3..=5 => ("K", 3),
                6..=8 => ("M", 6),
                9..=11 => ("B", 9),
                _ => ("T", 12),
            };
            format!("{}{suffix}", 10u64.pow((k - base) as u32))
        }
        k if (-4..0).contains(&k) => format!("{}", 10f64.powi(k)),
        k => format!("1e{k}"),
    }
}

/// A count with three significant digits and a K/M/B/T suffix up to 1e15, else "3.15e23".
pub fn si(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    let (div, suffix) = match a {
        a if a >= 1e15 => return format!("{v:.2e}"),
        a if a >= 1e12 => (1e12, "T"),
        a if a >= 1e9 => (1e9, "B"),
        a if a >= 1e6 => (1e6, "M"),
        a if a >= 1e3 => (1e3, "K"),
        a if a >= 1e-2 || a == 0.0 => (1.0, ""),
        _ => return format!("{v:.2e}"),
    };
    let x = v / div;
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{x:.digits$}{suffix}")
}

/// Tick label of a log axis at `v` (log10 of the value).
pub(super) fn log_tick(v: f64, span: f64) -> String {
    let k = v.round();
    if (v - k).abs() < 1e-6 {
        decade_label(k as i32)
    } else if span < 2.0 {
        si(10f64.powf(v))
    } else {
        String::new()
    }
}
