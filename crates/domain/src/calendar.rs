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
