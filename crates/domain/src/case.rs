//! A student's case as the law engine reads it: who (birth date), where (jurisdiction), the
//! school calendar, and the ordered events.

use crate::calendar::CalendarSpec;
use crate::event::Event;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// `US` (federal rules only) or `US-XX` with a state's postal code.
    pub jurisdiction: String,
    pub student: StudentFacts,
    #[serde(default)]
    pub calendar: CalendarSpec,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentFacts {
    pub birth_date: Date,
}

impl Case {
    /// Events in force: those not superseded by a later correction, ordered by date (stable, so
    /// events of the same day keep the order they were recorded in).
    pub fn effective_events(&self) -> Vec<&Event> {
        let superseded: std::collections::HashSet<&str> = self
            .events
            .iter()
            .filter_map(|e| e.supersedes.as_deref())
            .collect();
        let mut events: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| !superseded.contains(e.id.as_str()))
            .collect();
        events.sort_by_key(|e| e.on);
        events
    }

    /// The first problem with the case's shape that serde cannot see, as (JSON path, expected).
    pub fn validate(&self) -> Result<(), (String, String)> {
        self.calendar.validate()?;
        let mut seen = std::collections::HashSet::new();
        for (i, event) in self.events.iter().enumerate() {
            if event.id.is_empty() {
                return Err((format!("events[{i}].id"), "a non-empty id".into()));
            }
            if !seen.insert(event.id.as_str()) {
                return Err((
                    format!("events[{i}].id"),
                    format!(
                        "an id not used by an earlier event (`{}` is repeated)",
                        event.id
                    ),
                ));
            }
        }
        Ok(())
    }
}
