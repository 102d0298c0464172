//! Number formatting for display: byte sizes, counts with thousands separators, durations, rank
//! changes.

/// "1.4 MB", "812 KB", "35 B".
pub fn bytes(n: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// "14,079".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rank change: "+3" (moved up), "−2" (typographic minus), "0", or "—" when the model is
/// missing on one side. Cells that show it carry the plain integer in `data-value` for exports.
pub fn rank_change(delta: Option<i64>) -> String {
    match delta {
        None => "—".into(),
        Some(0) => "0".into(),
        Some(d) if d > 0 => format!("+{d}"),
        Some(d) => format!("−{}", d.unsigned_abs()),
    }
}

/// "12 s", "3 min 5 s".
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "—".into();
    }
    let s = seconds.round() as u64;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}
