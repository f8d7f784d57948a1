//! The camera's clock: system time plus an offset the initiator may set
//! through the DateTime property, and conversions between seconds since
//! the Unix epoch and ptp-core's [`DateTime`] (UTC; the camera has no time
//! zone, as most cameras).

use ptp_core::wire::DateTime;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch of a system time (negative before 1970).
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The date-time of `seconds` since the epoch, without a zone; years are
/// clamped to 0..=9999.
pub fn to_datetime(seconds: i64) -> DateTime {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let narrow = |value: i64| u8::try_from(value).unwrap_or(0);
    DateTime {
        year: u16::try_from(year.clamp(0, 9999)).unwrap_or(0),
        month: narrow(month),
        day: narrow(day),
        hour: narrow(second_of_day / 3600),
        minute: narrow(second_of_day / 60 % 60),
        second: narrow(second_of_day % 60),
        tenths: None,
        offset: None,
    }
}

/// Seconds since the epoch of a date-time (a zone offset, when given, is
/// applied; without one the time is taken as UTC).
pub fn from_datetime(time: &DateTime) -> i64 {
    let days = days_from_civil(
        i64::from(time.year),
        i64::from(time.month),
        i64::from(time.day),
    );
    let local = days * 86_400
        + i64::from(time.hour) * 3600
        + i64::from(time.minute) * 60
        + i64::from(time.second);
    match time.offset {
        Some(ptp_core::wire::UtcOffset::Minutes(minutes)) => local - i64::from(minutes) * 60,
        _ => local,
    }
}

/// `YYYYMMDDThhmmss` of `seconds` since the epoch.
pub fn format(seconds: i64) -> String {
    let mut buffer = [0u8; 22];
    to_datetime(seconds).format_into(&mut buffer).to_owned()
}

/// The camera's clock: the system clock shifted by what the initiator set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CameraClock {
    offset_seconds: i64,
}

impl CameraClock {
    /// Seconds since the epoch, on the camera's clock.
    pub fn now(&self) -> i64 {
        unix_seconds(SystemTime::now()).saturating_add(self.offset_seconds)
    }

    /// Sets the camera's clock to `seconds` since the epoch.
    pub fn set(&mut self, seconds: i64) {
        self.offset_seconds = seconds.saturating_sub(unix_seconds(SystemTime::now()));
    }

    /// Back to the system clock.
    pub fn reset(&mut self) {
        self.offset_seconds = 0;
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn round_trips_dates() {
        for seconds in [0, 951_782_400, 1_700_000_000, 4_102_444_799, -86_400] {
            let time = to_datetime(seconds);
            assert_eq!(from_datetime(&time), seconds, "{time:?}");
        }
        assert_eq!(format(951_868_800), "20000301T000000");
        assert_eq!(format(1_700_000_000), "20231114T221320");
    }

    #[test]
    fn offsets_are_applied() {
        let time = DateTime::parse_ascii(b"20231114T231320+0100").unwrap();
        assert_eq!(from_datetime(&time), 1_700_000_000);
    }

    #[test]
    fn camera_clock_follows_what_was_set() {
        let mut clock = CameraClock::default();
        clock.set(1_000_000_000);
        assert!((clock.now() - 1_000_000_000).abs() <= 1);
        clock.reset();
        assert!((clock.now() - unix_seconds(SystemTime::now())).abs() <= 1);
    }
}
