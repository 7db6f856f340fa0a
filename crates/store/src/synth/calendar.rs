//! The synthetic district's school calendar (the current and the previous school year, with
//! Labor Day, Thanksgiving, winter and spring breaks and two Monday holidays) and the date
//! arithmetic the case generator needs.

use domain::Date;
use domain::calendar::{CalendarSpec, Closure, SchoolYear};
use jiff::civil::{Weekday, date};

pub(crate) fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

pub(crate) fn add_years(d: Date, n: i16) -> Date {
    d.checked_add(jiff::Span::new().years(n)).unwrap_or(d)
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

/// Completed years of age on `on`.
pub(crate) fn age_on(birth: Date, on: Date) -> i16 {
    let had_birthday = (on.month(), on.day()) >= (birth.month(), birth.day());
    on.year() - birth.year() - i16::from(!had_birthday)
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The date itself when it is a weekday, else the Monday after: offices are closed on weekends.
pub(crate) fn weekday_on_or_after(d: Date) -> Date {
    match d.weekday() {
        Weekday::Saturday => add_days(d, 2),
        Weekday::Sunday => add_days(d, 1),
        _ => d,
    }
}

fn first_on_or_after(d: Date, weekday: Weekday) -> Date {
    let ahead = (weekday.to_monday_zero_offset() - d.weekday().to_monday_zero_offset() + 7) % 7;
    add_days(d, i64::from(ahead))
}

fn last_on_or_before(d: Date, weekday: Weekday) -> Date {
    let back = (d.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset() + 7) % 7;
    add_days(d, -i64::from(back))
}

fn closure(from: Date, to: Date, label: &str) -> Closure {
    Closure {
        from,
        to,
        label: label.to_owned(),
    }
}

/// One school year beginning in August of `year`: about 178 school days.
fn school_year(year: i16) -> SchoolYear {
    let next = year + 1;
    let labor_day = first_on_or_after(date(year, 9, 1), Weekday::Monday);
    let thanksgiving = first_on_or_after(date(year, 11, 22), Weekday::Thursday);
    let winter_from = first_on_or_after(date(year, 12, 19), Weekday::Monday);
    let winter_to = first_on_or_after(date(next, 1, 1), Weekday::Friday);
    let mlk = add_days(first_on_or_after(date(next, 1, 1), Weekday::Monday), 14);
    let presidents = add_days(first_on_or_after(date(next, 2, 1), Weekday::Monday), 14);
    let spring_from = first_on_or_after(date(next, 3, 8), Weekday::Monday);
    let memorial_day = last_on_or_before(date(next, 5, 31), Weekday::Monday);
    SchoolYear {
        first_day: first_on_or_after(date(year, 8, 14), Weekday::Monday),
        last_day: add_days(memorial_day, -3),
        closed: vec![
            closure(labor_day, labor_day, "Labor Day"),
            closure(
                add_days(thanksgiving, -3),
                add_days(thanksgiving, 1),
                "Thanksgiving break",
            ),
            closure(winter_from, winter_to, "Winter break"),
            closure(mlk, mlk, "Martin Luther King Jr. Day"),
            closure(presidents, presidents, "Presidents' Day"),
            closure(spring_from, add_days(spring_from, 4), "Spring break"),
        ],
    }
}

/// The year (August start) of the school year in progress on `anchor`; from July on, the
/// coming one, so the calendar always covers the anchor's neighbourhood.
pub(crate) fn current_school_year_start(anchor: Date) -> i16 {
    if anchor.month() >= 7 {
        anchor.year()
    } else {
        anchor.year() - 1
    }
}

/// The previous and the current school year around `anchor`.
pub fn school_calendar(anchor: Date) -> CalendarSpec {
    let current = current_school_year_start(anchor);
    CalendarSpec {
        school_years: vec![school_year(current - 1), school_year(current)],
    }
}

/// Counts school days on the calendar where it covers the dates, and weekdays elsewhere (the
/// district's older calendars are not kept).
#[derive(Debug)]
pub(crate) struct SchoolDays<'a> {
    calendar: &'a CalendarSpec,
    first: Date,
    last: Date,
}

impl<'a> SchoolDays<'a> {
    pub(crate) fn new(calendar: &'a CalendarSpec) -> Self {
        let first = calendar.school_years.iter().map(|y| y.first_day).min();
        let last = calendar.school_years.iter().map(|y| y.last_day).max();
        SchoolDays {
            calendar,
            first: first.unwrap_or(Date::MAX),
            last: last.unwrap_or(Date::MIN),
        }
    }

    fn counts(&self, d: Date) -> bool {
        if (self.first..=self.last).contains(&d) {
            self.calendar.is_school_day(d)
        } else {
            !is_weekend(d)
        }
    }

    /// The `n`th school day after `from`.
    pub(crate) fn add(&self, from: Date, n: u32) -> Date {
        let mut d = from;
        let mut left = n;
        // A year of closed days is more than any calendar has; the bound only stops a loop.
        for _ in 0..(n as usize * 3 + 370) {
            if left == 0 {
                break;
            }
            d = add_days(d, 1);
            if self.counts(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_has_two_years_with_breaks_on_school_weekdays() {
        let spec = school_calendar(date(2026, 11, 2));
        assert_eq!(spec.school_years.len(), 2);
        let current = &spec.school_years[1];
        assert_eq!(current.first_day, date(2026, 8, 17));
        assert_eq!(current.last_day, date(2027, 5, 28));
        assert!(spec.validate().is_ok());
        assert!(!spec.is_school_day(date(2026, 11, 25)), "Thanksgiving week");
        assert!(!spec.is_school_day(date(2026, 12, 28)), "winter break");
        assert!(spec.is_school_day(date(2026, 11, 30)));
        let days = (0..400)
            .map(|i| add_days(current.first_day, i))
            .filter(|d| spec.is_school_day(*d))
            .count();
        assert!((170..=185).contains(&days), "{days} school days");
    }

    #[test]
    fn school_days_skip_closures() {
        let spec = school_calendar(date(2026, 11, 2));
        let days = SchoolDays::new(&spec);
        // Friday 20 November + 1 school day skips Thanksgiving week.
        assert_eq!(days.add(date(2026, 11, 20), 1), date(2026, 11, 30));
        assert_eq!(age_on(date(2010, 5, 2), date(2026, 5, 1)), 15);
        assert_eq!(age_on(date(2010, 5, 2), date(2026, 5, 2)), 16);
    }
}
