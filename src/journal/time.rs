//! UTC times as the journal writes them (RFC 3339, milliseconds, `Z`), and the `--since` forms:
//! a date (`2026-11-24`, midnight UTC), a full RFC 3339 time, or an age (`7d`, `12h`, `30m`).
//! Done by hand from `SystemTime`: a few lines of calendar arithmetic instead of a crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

/// `2026-11-24T10:15:02.123Z`.
pub fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rest = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

fn number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// A UTC time the journal wrote, or a date, as milliseconds since the epoch.
pub fn parse_utc(text: &str) -> Option<i64> {
    let (date, clock) = match text.split_once(['T', ' ']) {
        Some((date, clock)) => (date, Some(clock)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year = number(parts.next()?)?;
    let month = number(parts.next()?).filter(|m| (1..=12).contains(m))?;
    let day = number(parts.next()?).filter(|d| (1..=31).contains(d))?;
    let mut secs = days_from_civil(i64::from(year), month, day) * 86_400;
    let mut millis = 0;
    if let Some(clock) = clock {
        // Only UTC: the journal writes `Z`, and an offset would be a second way to say it.
        let clock = clock.strip_suffix(['Z', 'z'])?;
        let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        if !fraction.is_empty() {
            // Milliseconds: the first three digits, right-padded (`.5` is 500 ms).
            number(fraction)?;
            millis = i64::from(number(&format!("{:0<3}", &fraction[..fraction.len().min(3)]))?);
        }
        let mut fields = clock.splitn(3, ':');
        let hour = number(fields.next()?).filter(|h| *h < 24)?;
        let minute = number(fields.next()?).filter(|m| *m < 60)?;
        let second = fields.next().map_or(Some(0), number).filter(|s| *s < 61)?;
        secs += i64::from(hour * 3600 + minute * 60 + second);
    }
    Some(secs * 1000 + millis)
}

/// `--since`: a date or UTC time, or an age before `now` (`7d`, `12h`, `30m`, `90s`), as
/// milliseconds since the epoch.
pub fn parse_since(text: &str, now: SystemTime) -> Result<i64, String> {
    let text = text.trim();
    let unit = text.chars().last().and_then(|c| match c {
        'd' => Some(86_400),
        'h' => Some(3600),
        'm' => Some(60),
        's' => Some(1),
        _ => None,
    });
    if let (Some(unit), Some(count)) = (unit, number(&text[..text.len().saturating_sub(1)])) {
        let age = Duration::from_secs(u64::from(count) * unit);
        let at = now.checked_sub(age).unwrap_or(UNIX_EPOCH);
        return Ok(at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64));
    }
    parse_utc(text).ok_or_else(|| {
        format!("--since {text}: expected a date (2026-11-24), a UTC time (2026-11-24T10:00:00Z) or an age (7d, 12h, 30m)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_515_302_123);
        assert_eq!(rfc3339(t), "2026-11-24T10:15:02.123Z");
        assert_eq!(parse_utc("2026-11-24T10:15:02.123Z"), Some(1_795_515_302_123));
        assert_eq!(parse_utc("2026-11-24T10:15:02.5Z"), Some(1_795_515_302_500));
        assert_eq!(parse_utc("2026-11-24"), Some(1_795_478_400_000));
        assert_eq!(parse_utc("2024-02-29T23:59:59Z").map(|s| s % 86_400_000), Some(86_399_000));
        for bad in [
            "",
            "2026-13-01",
            "2026-11",
            "2026-11-24T10:15:02.x1Z",
            "yesterday",
            "2026-11-24T10:15:02+01:00",
            "2026-11-24T25:00Z",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
        // Every day for 1000 years round-trips.
        for days in (-1000..365_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn since_takes_dates_and_ages() {
        let now = UNIX_EPOCH + Duration::from_secs(1_795_515_302);
        let ms = 1_795_515_302_000;
        assert_eq!(parse_since("7d", now), Ok(ms - 7 * 86_400_000));
        assert_eq!(parse_since("12h", now), Ok(ms - 12 * 3_600_000));
        assert_eq!(parse_since("30m", now), Ok(ms - 1_800_000));
        assert_eq!(parse_since("2026-11-24", now), Ok(1_795_478_400_000));
        assert!(parse_since("7w", now).is_err());
        assert!(parse_since("d", now).is_err());
    }
}
