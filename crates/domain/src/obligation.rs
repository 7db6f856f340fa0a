//! What the law engine derives from a case: one obligation per rule instance, with its due date,
//! status, citation and the date arithmetic spelled out.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Met,
    MetLate,
    Overdue,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Open, Status::Met, Status::MetLate, Status::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Met => "met",
            Status::MetLate => "met_late",
            Status::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The status of an obligation due on `due`, satisfied on `satisfied_on` (if ever), as seen
    /// on `as_of`. The single place where met / late / overdue / open is decided.
    pub fn classify(due: Date, satisfied_on: Option<Date>, as_of: Date) -> Status {
        match satisfied_on {
            Some(done) if done <= due => Status::Met,
            Some(_) => Status::MetLate,
            None if as_of > due => Status::Overdue,
            None => Status::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// The rule's kind, e.g. `initial_evaluation` (CONTRACT.md lists the stable ones).
    pub kind: String,
    /// The event that started the clock; `None` for clocks started by an age or a date.
    pub triggered_by: Option<String>,
    pub due: Date,
    pub status: Status,
    pub satisfied_by: Option<String>,
    pub citation: String,
    pub explanation: Vec<String>,
    /// The date the satisfying event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied_on: Option<Date>,
    /// The rule was read only in a secondary source (law.md marks these); shown so users know.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secondary_source: bool,
}
