//! Timestamps as AWS tools write them, countdowns to them, and the one
//! decision whether credentials may still be handed out ([`fresh`]).
//!
//! Accepts `2026-11-22T09:37:16Z`, `+00:00` / `+0000` / `-05:00` offsets, a space
//! instead of `T`, fractional seconds of any length, a trailing `UTC`, and no
//! offset at all (taken as UTC, as botocore does). Pure: `now` is an argument.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses a timestamp into a point in time; `None` when it is not one.
pub fn parse_timestamp(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[4] != b'-'
        || b[7] != b'-'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos: u32 = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = &frac[..digits.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &frac[digits..];
    }
    let offset_secs: i64 = match rest.trim() {
        "" | "Z" | "z" | "UTC" | "+00:00" | "-00:00" => 0,
        o => {
            let (sign, digits) = match o.as_bytes()[0] {
                b'+' => (1, &o[1..]),
                b'-' => (-1, &o[1..]),
                _ => return None,
            };
            let digits = digits.replace(':', "");
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i64 = digits[..2].parse().ok()?;
            let m: i64 = digits[2..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats a point in time as RFC 3339 UTC with a `Z` (`2026-11-22T09:37:16Z`).
pub fn format_rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// How close an expiry is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    /// More than 15 minutes left.
    Fine,
    /// 15 minutes or less left.
    Soon,
    /// Already passed.
    Expired,
}

/// Time left until `expires` at `now` (negative when passed), in whole seconds.
pub fn seconds_left(expires: SystemTime, now: SystemTime) -> i64 {
    match expires.duration_since(now) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
    }
}

/// The urgency of an expiry.
pub fn urgency(expires: SystemTime, now: SystemTime) -> Urgency {
    match seconds_left(expires, now) {
        s if s <= 0 => Urgency::Expired,
        s if s <= 15 * 60 => Urgency::Soon,
        _ => Urgency::Fine,
    }
}

/// A compact countdown: `3h12m`, `14m05s`, `42s`, `expired 5m ago`, `2d4h`.
pub fn countdown(expires: SystemTime, now: SystemTime) -> String {
    let left = seconds_left(expires, now);
    if left <= 0 {
        return format!("expired {} ago", span(-left));
    }
    span(left)
}

fn span(s: i64) -> String {
    match s {
        s if s >= 86_400 => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

/// Keys tools write beside temporary keys in a profile to say when they
/// expire (`aws configure` helpers, saml2aws, gimme-aws-creds, botocore's
/// own `aws_expiration` readers).
pub const EXPIRY_KEYS: &[&str] = &[
    "aws_expiration",
    "x_security_token_expires",
    "aws_session_expiration",
    "expiration",
];

/// The environment variable tools set beside keys in the environment.
pub const EXPIRY_VAR: &str = "AWS_CREDENTIAL_EXPIRATION";

/// The expiry a profile's keys state, from `get` (a profile's keys): the
/// earliest of the [`EXPIRY_KEYS`] that parse, so it is never later than the
/// real one.
pub fn stated<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<SystemTime> {
    EXPIRY_KEYS
        .iter()
        .filter_map(|k| get(k).and_then(parse_timestamp))
        .min()
}

/// Credentials whose expiry has passed: what to tell the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expired {
    /// When they expired.
    pub at: SystemTime,
    /// When this was decided.
    pub now: SystemTime,
}

impl std::fmt::Display for Expired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({})",
            countdown(self.at, self.now),
            format_rfc3339(self.at)
        )
    }
}

/// Whether credentials that expire at `expires` (`None`: unknown) may be
/// handed out at `now`: `Ok` with the expiry to report (never later than the
/// real one: the real one, or none when unknown), `Err` when it has passed and
/// `allow_expired` is off. With `allow_expired` the real past expiry is
/// returned, for the caller to pass on with a warning.
pub fn fresh(
    expires: Option<SystemTime>,
    now: SystemTime,
    allow_expired: bool,
) -> Result<Option<SystemTime>, Expired> {
    match expires {
        Some(at) if at <= now && !allow_expired => Err(Expired { at, now }),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn parses_the_formats_found_in_the_wild() {
        let t = at(1_795_340_236); // 2026-11-22T09:37:16Z
        assert_eq!(parse_timestamp("2026-11-22T09:37:16Z"), Some(t));
        assert_eq!(parse_timestamp("2026-11-22T09:37:16+00:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-22T09:37:16UTC"), Some(t));
        assert_eq!(parse_timestamp("2026-11-22 09:37:16"), Some(t));
        assert_eq!(parse_timestamp("2026-11-22T10:37:16+01:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-22T04:37:16-0500"), Some(t));
        assert_eq!(
            parse_timestamp("2026-11-22T09:37:16.123456+00:00"),
            Some(t + Duration::from_micros(123_456))
        );
        assert_eq!(
            parse_timestamp("2026-11-22T09:37:16.5Z"),
            Some(t + Duration::from_millis(500))
        );
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-22T09:37:16+1",
            "2026-11-22T09:37:16.Z",
            "1700000000",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_and_round_trips() {
        assert_eq!(format_rfc3339(at(1_795_340_236)), "2026-11-22T09:37:16Z");
        assert_eq!(format_rfc3339(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(
            parse_timestamp(&format_rfc3339(at(4_102_444_799))),
            Some(at(4_102_444_799))
        );
    }

    #[test]
    fn countdowns_and_urgency() {
        let now = at(1_000_000);
        assert_eq!(
            countdown(at(1_000_000 + 3 * 3600 + 12 * 60 + 5), now),
            "3h12m"
        );
        assert_eq!(countdown(at(1_000_000 + 14 * 60 + 5), now), "14m05s");
        assert_eq!(countdown(at(1_000_042), now), "42s");
        assert_eq!(countdown(at(1_000_000 - 300), now), "expired 5m00s ago");
        assert_eq!(
            countdown(at(1_000_000 + 2 * 86_400 + 4 * 3600), now),
            "2d4h"
        );
        assert_eq!(urgency(at(1_000_000 + 3600), now), Urgency::Fine);
        assert_eq!(urgency(at(1_000_000 + 600), now), Urgency::Soon);
        assert_eq!(urgency(at(1_000_000), now), Urgency::Expired);
    }

    #[test]
    fn freshness_is_decided_in_one_place() {
        let now = at(2_000_000);
        assert_eq!(
            fresh(Some(at(2_000_001)), now, false),
            Ok(Some(at(2_000_001)))
        );
        assert_eq!(fresh(None, now, false), Ok(None));
        let past = at(2_000_000 - 12 * 86_400);
        assert_eq!(
            fresh(Some(past), now, false),
            Err(Expired { at: past, now })
        );
        assert_eq!(fresh(Some(now), now, false), Err(Expired { at: now, now }));
        // Allowed: the real past expiry, never a later one.
        assert_eq!(fresh(Some(past), now, true), Ok(Some(past)));
        assert_eq!(
            Expired { at: past, now }.to_string(),
            "expired 12d0h ago (1970-01-12T03:33:20Z)"
        );
    }

    #[test]
    fn the_earliest_stated_expiry_wins() {
        let keys = [
            ("x_security_token_expires", "2026-11-22T09:37:16Z"),
            ("aws_expiration", "2026-11-22T08:37:16Z"),
            ("expiration", "not a time"),
        ];
        let get = |k: &str| keys.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        assert_eq!(stated(get), Some(at(1_795_340_236 - 3600)));
        assert_eq!(stated(|_| None), None);
    }
}
