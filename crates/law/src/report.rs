//! The `deadlines` command's output object (CONTRACT.md): `{ as_of, jurisdiction, obligations }`,
//! plus the parent's filing windows. Fields may be added, never renamed or dropped.

use crate::calendar::Calendar;
use crate::filing::{FilingWindow, filing_windows};
use crate::registry::{UnknownJurisdiction, profile};
use domain::case::Case;
use domain::obligation::Obligation;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlinesReport {
    pub as_of: Date,
    pub jurisdiction: String,
    pub obligations: Vec<Obligation>,
    pub filing_windows: Vec<FilingWindow>,
}

/// Every obligation of a case file as of `as_of`, computed with its jurisdiction's profile and
/// its own calendar.
pub fn deadlines_report(case: &Case, as_of: Date) -> Result<DeadlinesReport, UnknownJurisdiction> {
    let profile = profile(&case.jurisdiction)?;
    let calendar = Calendar::new(&case.calendar);
    Ok(DeadlinesReport {
        as_of,
        jurisdiction: profile.jurisdiction.clone(),
        obligations: crate::engine::obligations(case, profile, &calendar, as_of),
        filing_windows: filing_windows(case, profile, &calendar, as_of),
    })
}
