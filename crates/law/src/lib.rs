//! The law as data and the engine that reads it. Jurisdiction profiles (`profiles/*.toml`,
//! embedded) hold every rule with its clock and citation; `obligations` turns a student's case,
//! a profile and a school calendar into dated obligations. Pure: no file or network I/O.

pub mod advisor;
pub mod calendar;
mod clock;
pub mod coverage;
pub mod dates;
pub mod days;
pub mod eligibility;
pub mod engine;
pub mod explain;
pub mod filing;
pub mod ics;
pub mod indicator11;
pub mod input;
mod lang;
pub mod ledger;
pub mod matcher;
pub mod notes;
pub mod notice;
pub mod policy;
pub mod profile;
pub mod progress;
pub mod redflags;
pub mod registry;
pub mod report;

pub use calendar::Calendar;
pub use engine::{obligations, obligations_with};
pub use filing::{FilingWindow, filing_windows, filing_windows_in};
pub use indicator11::{Indicator11, indicator11};
pub use input::{InputError, parse_case};
pub use lang::Lang;
pub use notes::{Detail, Note};
pub use policy::DistrictPolicy;
pub use profile::Profile;
pub use registry::{UnknownJurisdiction, jurisdictions, profile};
pub use report::{DeadlinesReport, deadlines_report};
