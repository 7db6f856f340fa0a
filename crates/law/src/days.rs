//! Day numbers: civil dates as consecutive integers, so the engine's date arithmetic is integer
//! arithmetic (the hot path runs a million times per sweep). Also the year clock's rule that
//! 29 February becomes 28 February in a year without one.

use jiff::civil::{Date, Weekday};

/// Days since 1970-01-01 (negative before it).
pub type DayNum = i32;

/// Howard Hinnant's `days_from_civil`: exact for the proleptic Gregorian calendar.
pub fn day_number(date: Date) -> DayNum {
    let (y, m, d) = (
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`day_number`]. Day numbers come from valid dates plus clocks of at most a
/// few years, so they stay inside jiff's range; outside it the nearest representable date is
/// returned rather than panicking.
pub fn date_of(n: DayNum) -> Date {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    match (i16::try_from(y), i8::try_from(m), i8::try_from(d)) {
        (Ok(y), Ok(m), Ok(d)) => {
            Date::new(y, m, d).unwrap_or(if n < 0 { Date::MIN } else { Date::MAX })
        }
        _ => {
            if n < 0 {
                Date::MIN
            } else {
                Date::MAX
            }
        }
    }
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(n: DayNum) -> i32 {
    // 1970-01-01 was a Thursday (index 3).
    (n + 3).rem_euclid(7)
}

pub fn is_weekend(n: DayNum) -> bool {
    weekday_index(n) >= 5
}

pub fn is_weekday(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The same month and day `years` later (or earlier, when negative); 29 February becomes
/// 28 February when the target year has none (CONTRACT.md's year-clock rule).
pub fn add_years(date: Date, years: i16) -> Date {
    let year = date.year().saturating_add(years);
    Date::new(year, date.month(), date.day())
        .or_else(|_| Date::new(year, date.month(), 28))
        .unwrap_or(if years < 0 { Date::MIN } else { Date::MAX })
}

pub fn add_days(date: Date, days: i32) -> Date {
    date_of(day_number(date) + days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;

    #[test]
    fn day_numbers_round_trip_and_agree_with_jiff() {
        let start = date(1995, 1, 1);
        let mut d = start;
        for _ in 0..20_000 {
            let n = day_number(d);
            assert_eq!(date_of(n), d);
            assert_eq!(n - day_number(start), (d - start).get_days());
            assert_eq!(
                weekday_index(n),
                i32::from(d.weekday().to_monday_zero_offset())
            );
            d = d.checked_add(1.day()).unwrap();
        }
        assert_eq!(day_number(date(1970, 1, 1)), 0);
    }

    #[test]
    fn leap_day_becomes_28_february() {
        assert_eq!(add_years(date(2028, 2, 29), 1), date(2029, 2, 28));
        assert_eq!(add_years(date(2028, 2, 29), 4), date(2032, 2, 29));
        assert_eq!(add_years(date(2028, 2, 29), -1), date(2027, 2, 28));
        assert_eq!(add_years(date(2026, 9, 8), 3), date(2029, 9, 8));
    }

    #[test]
    fn calendar_days() {
        assert_eq!(add_days(date(2026, 9, 8), 60), date(2026, 11, 7));
        assert_eq!(add_days(date(2028, 2, 28), 1), date(2028, 2, 29));
    }
}
