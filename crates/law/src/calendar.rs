//! The school calendar indexed for the engine: every school day as a sorted day number, the
//! breaks inside each school year and the summers between them. Built once per district and
//! shared read-only by every student's computation (`Calendar` is `Send + Sync`; wrap it in an
//! `Arc` to share across threads).
//!
//! Day kinds follow CONTRACT.md: a *school day* is a Monday–Friday inside a school year and
//! outside its closures. A *business day* is any Monday–Friday that is not inside a closure,
//! summer included: offices are open in summer, and the calendar is the only holiday list the
//! engine has (a district lists federal holidays as closures for them to count).
//! Past the last school year the calendar knows nothing; there a clock counts every weekday as a
//! school day and says that its date is an estimate (never silently).

use crate::days::{DayNum, date_of, day_number, is_weekend};
use domain::calendar::CalendarSpec;
use jiff::civil::Date;

#[derive(Debug, Clone)]
pub struct Calendar {
    /// Every school day, ascending.
    school_days: Vec<DayNum>,
    /// (first_day, last_day) of each school year, ascending.
    years: Vec<(DayNum, DayNum)>,
    /// Closed ranges (inclusive), ascending by start, with their labels.
    closures: Vec<ClosedRange>,
    /// Stretches inside a school year between two school days that contain at least one
    /// weekday off, trimmed of the weekends at their edges.
    breaks: Vec<Break>,
}

#[derive(Debug, Clone)]
struct ClosedRange {
    from: DayNum,
    to: DayNum,
    label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub from: Date,
    pub to: Date,
    /// Weekdays without school inside the break: the "N school days" states measure breaks in.
    pub weekdays: u32,
}

/// A stretch a calendar-day clock did not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedPeriod {
    pub from: Date,
    pub to: Date,
    pub label: PeriodLabel,
}

/// What a skipped period is called: the district's label for a closure, or (for summers and
/// unlabelled closures) a word the explanation writes in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodLabel {
    /// The days between two school years.
    Summer,
    /// A break no closure of the calendar names.
    Break,
    /// A closure without a label.
    Closure,
    /// The calendar's own label, shown as written ("Thanksgiving break").
    Named(String),
}

/// The Nth school (or business) day after a date, and whether it had to be guessed because the
/// calendar ends before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub date: Date,
    pub estimated: bool,
}

/// Which periods a calendar-day clock leaves out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exclusions {
    pub summer: bool,
    /// Leave out breaks with at least this many weekdays off (`None`: count breaks).
    pub breaks_of_at_least: Option<u32>,
}

impl Exclusions {
    pub fn any(self) -> bool {
        self.summer || self.breaks_of_at_least.is_some()
    }
}

impl Calendar {
    pub fn new(spec: &CalendarSpec) -> Calendar {
        let mut years: Vec<(DayNum, DayNum, &domain::calendar::SchoolYear)> = spec
            .school_years
            .iter()
            .map(|y| (day_number(y.first_day), day_number(y.last_day), y))
            .collect();
        years.sort_by_key(|y| y.0);

        let mut closures: Vec<ClosedRange> = spec
            .school_years
            .iter()
            .flat_map(|y| y.closed.iter())
            .map(|c| ClosedRange {
                from: day_number(c.from),
                to: day_number(c.to),
                label: c.label.clone(),
            })
            .collect();
        closures.sort_by_key(|c| (c.from, c.to));

        let mut school_days = Vec::new();
        let mut breaks = Vec::new();
        for &(first, last, year) in &years {
            let mut own: Vec<(DayNum, DayNum)> = year
                .closed
                .iter()
                .map(|c| (day_number(c.from), day_number(c.to)))
                .collect();
            own.sort_unstable();
            let start_of_year = school_days.len();
            let mut next_closure = 0;
            for day in first..=last {
                while next_closure < own.len() && own[next_closure].1 < day {
                    next_closure += 1;
                }
                let closed = own[next_closure..]
                    .iter()
                    .take_while(|c| c.0 <= day)
                    .any(|c| c.1 >= day);
                if !closed && !is_weekend(day) {
                    school_days.push(day);
                }
            }
            for pair in school_days[start_of_year..].windows(2) {
                let (before, after) = (pair[0], pair[1]);
                let weekdays = ((before + 1)..after).filter(|&d| !is_weekend(d)).count();
                if weekdays > 0 {
                    let from = ((before + 1)..after)
                        .find(|&d| !is_weekend(d))
                        .unwrap_or(before + 1);
                    let to = ((before + 1)..after)
                        .rev()
                        .find(|&d| !is_weekend(d))
                        .unwrap_or(after - 1);
                    breaks.push(Break {
                        from: date_of(from),
                        to: date_of(to),
                        weekdays: u32::try_from(weekdays).unwrap_or(u32::MAX),
                    });
                }
            }
        }
        school_days.dedup();
        Calendar {
            school_days,
            years: years.iter().map(|y| (y.0, y.1)).collect(),
            closures,
            breaks,
        }
    }

    pub fn is_school_day(&self, date: Date) -> bool {
        self.school_days.binary_search(&day_number(date)).is_ok()
    }

    pub fn is_business_day(&self, date: Date) -> bool {
        let n = day_number(date);
        !is_weekend(n) && !self.is_closed(n)
    }

    fn is_closed(&self, n: DayNum) -> bool {
        let upto = self.closures.partition_point(|c| c.from <= n);
        self.closures[..upto].iter().any(|c| c.to >= n)
    }

    /// The last day the calendar describes (the last school year's last day).
    pub fn known_until(&self) -> Option<Date> {
        self.years.last().map(|y| date_of(y.1))
    }

    /// School days strictly after `after` and on or before `through`.
    pub fn school_days_between(&self, after: Date, through: Date) -> u32 {
        let lo = self
            .school_days
            .partition_point(|&d| d <= day_number(after));
        let hi = self
            .school_days
            .partition_point(|&d| d <= day_number(through));
        u32::try_from(hi.saturating_sub(lo)).unwrap_or(u32::MAX)
    }

    /// The `n`th school day after `after` (`n` ≥ 1; `n` = 0 gives `after` itself). Past the
    /// calendar's end every weekday counts, and the result is marked estimated.
    pub fn nth_school_day_after(&self, after: Date, n: u32) -> Counted {
        if n == 0 {
            return Counted {
                date: after,
                estimated: false,
            };
        }
        let t = day_number(after);
        let idx = self.school_days.partition_point(|&d| d <= t);
        let wanted = idx + n as usize - 1;
        if let Some(&day) = self.school_days.get(wanted) {
            return Counted {
                date: date_of(day),
                estimated: false,
            };
        }
        let known = (self.school_days.len() - idx) as u32;
        let end = self.years.last().map_or(t, |y| y.1.max(t));
        Counted {
            date: date_of(nth_weekday_after(end, n - known, |_| true)),
            estimated: true,
        }
    }

    /// The `n`th business day after `after`: Monday–Friday outside every closure.
    pub fn nth_business_day_after(&self, after: Date, n: u32) -> Counted {
        let t = day_number(after);
        let day = nth_weekday_after(t, n, |d| !self.is_closed(d));
        let estimated = self.years.last().is_none_or(|y| day > y.1);
        Counted {
            date: date_of(day),
            estimated,
        }
    }

    /// The school year whose first..=last days contain `date`.
    pub fn school_year_of(&self, date: Date) -> Option<(Date, Date)> {
        let n = day_number(date);
        self.years
            .iter()
            .find(|y| y.0 <= n && n <= y.1)
            .map(|y| (date_of(y.0), date_of(y.1)))
    }

    /// The first school year that begins after `date`.
    pub fn next_school_year_after(&self, date: Date) -> Option<(Date, Date)> {
        let n = day_number(date);
        self.years
            .iter()
            .find(|y| y.0 > n)
            .map(|y| (date_of(y.0), date_of(y.1)))
    }

    /// Every school year, as (first_day, last_day), ascending.
    pub fn school_years(&self) -> impl Iterator<Item = (Date, Date)> + '_ {
        self.years.iter().map(|y| (date_of(y.0), date_of(y.1)))
    }

    /// Breaks inside school years (weekend-trimmed), ascending.
    pub fn breaks(&self) -> &[Break] {
        &self.breaks
    }

    /// Labels of the closures overlapping `(after, through]`, with their ranges, for
    /// explanations.
    pub fn closures_between(&self, after: Date, through: Date) -> Vec<SkippedPeriod> {
        let (a, b) = (day_number(after), day_number(through));
        self.closures
            .iter()
            .filter(|c| c.to > a && c.from <= b)
            .map(|c| SkippedPeriod {
                from: date_of(c.from),
                to: date_of(c.to),
                label: if c.label.is_empty() {
                    PeriodLabel::Closure
                } else {
                    PeriodLabel::Named(c.label.clone())
                },
            })
            .collect()
    }

    fn label_for(&self, from: DayNum, to: DayNum) -> PeriodLabel {
        self.closures
            .iter()
            .find(|c| c.to >= from && c.from <= to && !c.label.is_empty())
            .map_or(PeriodLabel::Break, |c| PeriodLabel::Named(c.label.clone()))
    }

    /// The periods a calendar-day clock with these exclusions leaves out, ascending: summers
    /// (the days strictly between one school year's last day and the next one's first day) and
    /// breaks with enough weekdays off.
    pub fn excluded_periods(&self, exclusions: Exclusions) -> Vec<SkippedPeriod> {
        let mut periods = Vec::new();
        if exclusions.summer {
            for pair in self.years.windows(2) {
                let (from, to) = (pair[0].1 + 1, pair[1].0 - 1);
                if from <= to {
                    periods.push(SkippedPeriod {
                        from: date_of(from),
                        to: date_of(to),
                        label: PeriodLabel::Summer,
                    });
                }
            }
        }
        if let Some(min) = exclusions.breaks_of_at_least {
            for b in self.breaks.iter().filter(|b| b.weekdays >= min) {
                let (from, to) = (day_number(b.from), day_number(b.to));
                periods.push(SkippedPeriod {
                    from: b.from,
                    to: b.to,
                    label: self.label_for(from, to),
                });
            }
        }
        periods.sort_by_key(|p| p.from);
        periods
    }

    /// `n` calendar days after `after`, not counting the excluded periods. Returns the date, the
    /// periods skipped, and whether the count ran past the calendar's end (where a summer
    /// cannot be known and is counted).
    pub fn calendar_days_after(
        &self,
        after: Date,
        n: u32,
        exclusions: Exclusions,
    ) -> (Date, Vec<SkippedPeriod>, bool) {
        let t = day_number(after);
        let mut remaining = i64::from(n);
        let mut cursor = t;
        let mut skipped = Vec::new();
        if exclusions.any() {
            for period in self.excluded_periods(exclusions) {
                let (from, to) = (day_number(period.from), day_number(period.to));
                if to <= cursor {
                    continue;
                }
                let from = from.max(cursor + 1);
                let available = i64::from(from - cursor - 1);
                if remaining <= available {
                    break;
                }
                remaining -= available;
                cursor = to;
                skipped.push(period);
            }
        }
        let due = cursor + i32::try_from(remaining).unwrap_or(i32::MAX / 2);
        let estimated = exclusions.summer && self.years.last().is_none_or(|y| due > y.1);
        (date_of(due), skipped, estimated)
    }
}

fn nth_weekday_after(start: DayNum, n: u32, counts: impl Fn(DayNum) -> bool) -> DayNum {
    let mut day = start;
    // Counts come from case files (absences, removal days); a few centuries of weekdays is
    // already past any date jiff can represent, so larger counts are cut there.
    let mut left = n.min(100_000);
    while left > 0 {
        day += 1;
        if !is_weekend(day) && counts(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::calendar::{Closure, SchoolYear};
    use jiff::civil::date;

    fn spec() -> CalendarSpec {
        CalendarSpec {
            school_years: vec![
                SchoolYear {
                    first_day: date(2026, 8, 17),
                    last_day: date(2027, 5, 28),
                    closed: vec![
                        Closure {
                            from: date(2026, 11, 23),
                            to: date(2026, 11, 27),
                            label: "Thanksgiving break".into(),
                        },
                        Closure {
                            from: date(2026, 12, 21),
                            to: date(2027, 1, 1),
                            label: "Winter break".into(),
                        },
                    ],
                },
                SchoolYear {
                    first_day: date(2027, 8, 16),
                    last_day: date(2028, 5, 26),
                    closed: vec![],
                },
            ],
        }
    }

    #[test]
    fn agrees_with_the_domain_predicate() {
        let spec = spec();
        let cal = Calendar::new(&spec);
        let mut d = date(2026, 7, 1);
        while d < date(2028, 7, 1) {
            assert_eq!(cal.is_school_day(d), spec.is_school_day(d), "{d}");
            d = crate::days::add_days(d, 1);
        }
    }

    #[test]
    fn counts_school_days_across_a_break() {
        let cal = Calendar::new(&spec());
        // Fri 2026-11-20 → next school day is Mon 2026-11-30 (Thanksgiving week closed).
        assert_eq!(
            cal.nth_school_day_after(date(2026, 11, 20), 1).date,
            date(2026, 11, 30)
        );
        assert_eq!(
            cal.school_days_between(date(2026, 11, 20), date(2026, 11, 30)),
            1
        );
        // Across summer: last day Fri 2027-05-28, first day Mon 2027-08-16.
        assert_eq!(
            cal.nth_school_day_after(date(2027, 5, 27), 2).date,
            date(2027, 8, 16)
        );
    }

    #[test]
    fn estimates_past_the_end() {
        let cal = Calendar::new(&spec());
        let c = cal.nth_school_day_after(date(2028, 5, 25), 3);
        // 05-26 is the last school day; then Mon 05-29 and Tue 05-30 are guessed.
        assert_eq!(
            c,
            Counted {
                date: date(2028, 5, 30),
                estimated: true
            }
        );
    }

    #[test]
    fn breaks_and_summer_excluded() {
        let cal = Calendar::new(&spec());
        let ex = Exclusions {
            summer: true,
            breaks_of_at_least: Some(6),
        };
        let periods = cal.excluded_periods(ex);
        assert_eq!(periods.len(), 2, "{periods:?}");
        assert_eq!(periods[0].label, PeriodLabel::Named("Winter break".into()));
        assert_eq!(
            (periods[0].from, periods[0].to),
            (date(2026, 12, 21), date(2027, 1, 1))
        );
        assert_eq!(
            (periods[1].from, periods[1].to),
            (date(2027, 5, 29), date(2027, 8, 15))
        );
        // 2026-12-11 + 10 counted days: 12-12..12-20 are 9, winter break skipped, 2027-01-02 is the 10th.
        let (due, skipped, est) = cal.calendar_days_after(date(2026, 12, 11), 10, ex);
        assert_eq!(due, date(2027, 1, 2));
        assert_eq!(skipped.len(), 1);
        assert!(!est);
    }

    #[test]
    fn business_days_skip_closures_not_summer() {
        let cal = Calendar::new(&spec());
        assert_eq!(
            cal.nth_business_day_after(date(2026, 11, 20), 1).date,
            date(2026, 11, 30)
        );
        assert!(cal.is_business_day(date(2027, 6, 1)));
    }
}
