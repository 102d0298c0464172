//! Calendar arithmetic for date filters and monthly ratings, in UTC, without a date crate: only
//! whole days and months are needed, and Howard Hinnant's civil-day algorithms are exact.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `YYYY-MM-DD` into Unix seconds at 00:00 UTC.
pub fn parse_date(text: &str) -> Option<f64> {
    let mut parts = text.trim().split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    Some(days as f64 * 86_400.0)
}

/// `YYYY-MM` of a Unix timestamp (UTC).
pub fn month_label(tstamp: f64) -> String {
    let (y, m, _) = civil_from_days((tstamp / 86_400.0).floor() as i64);
    format!("{y:04}-{m:02}")
}

/// Unix seconds of the first instant of the month after the one containing `tstamp`.
pub fn next_month_start(tstamp: f64) -> f64 {
    let (y, m, _) = civil_from_days((tstamp / 86_400.0).floor() as i64);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    days_from_civil(ny, nm, 1) as f64 * 86_400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        // 2024-02-20 00:00 UTC = 1708387200 (date -u -d 2024-02-20 +%s)
        assert_eq!(parse_date("2024-02-20"), Some(1_708_387_200.0));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("99999999999999999-01-01"), None);
        assert_eq!(month_label(1_708_387_200.0), "2024-02");
        assert_eq!(next_month_start(1_708_387_200.0), 1_709_251_200.0);
        assert_eq!(month_label(-1.0), "1969-12");
    }
}
