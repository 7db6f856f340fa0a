//! A school calendar as a district writes it down: school years and the ranges when school is
//! closed. Which days are school days is the law engine's business (`law::calendar`).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSpec {
    #[serde(default)]
    pub school_years: Vec<SchoolYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolYear {
    pub first_day: Date,
    pub last_day: Date,
    #[serde(default)]
    pub closed: Vec<Closure>,
}

/// A closed range, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub from: Date,
    pub to: Date,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

impl CalendarSpec {
    /// The first problem with the calendar's shape, as (JSON path, what was expected).
    pub fn validate(&self) -> Result<(), (String, String)> {
        for (i, year) in self.school_years.iter().enumerate() {
            if year.last_day < year.first_day {
                return Err((
                    format!("calendar.school_years[{i}].last_day"),
                    "a date on or after first_day".into(),
                ));
            }
            for (j, closure) in year.closed.iter().enumerate() {
                if closure.to < closure.from {
                    return Err((
                        format!("calendar.school_years[{i}].closed[{j}].to"),
                        "a date on or after `from`".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl CalendarSpec {
    /// A Monday–Friday inside a school year and outside its closed ranges (CONTRACT.md). Days in
    /// no school year (summer) are never school days. A linear scan: hot paths index the
    /// calendar once (`law::calendar::Calendar`).
    pub fn is_school_day(&self, date: Date) -> bool {
        use jiff::civil::Weekday;
        if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return false;
        }
        self.school_years.iter().any(|year| {
            (year.first_day..=year.last_day).contains(&date)
                && !year.closed.iter().any(|c| (c.from..=c.to).contains(&date))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn school_days_skip_weekends_closures_and_summer() {
        let spec = CalendarSpec {
            school_years: vec![SchoolYear {
                first_day: date(2026, 8, 17),
                last_day: date(2027, 5, 28),
                closed: vec![Closure {
                    from: date(2026, 11, 23),
                    to: date(2026, 11, 27),
                    label: "Thanksgiving break".into(),
                }],
            }],
        };
        assert!(spec.is_school_day(date(2026, 8, 17)));
        assert!(!spec.is_school_day(date(2026, 8, 22)), "Saturday");
        assert!(!spec.is_school_day(date(2026, 11, 25)), "closed");
        assert!(!spec.is_school_day(date(2027, 6, 1)), "summer");
        assert!(!spec.is_school_day(date(2026, 8, 14)), "before the year");
    }
}
