//! IDEA State Performance Plan Indicator 11 (timely initial evaluations), computed from cases.
//! Counted: every `initial_evaluation` obligation whose clock started in [from, to] (parental
//! consent, or the written referral where the state counts from it) and whose timeline has
//! ended by `as_of` — evaluated (on time or late) or past due. Those still running are reported
//! as pending, outside the percentage, as OSEP counts children whose timeline ended. The
//! exceptions of 34 CFR 300.301(d) (child not produced, transfer) have no events yet and are
//! not subtracted.

use crate::calendar::Calendar;
use crate::days::day_number;
use crate::notes::Detail;
use crate::registry::{UnknownJurisdiction, profile};
use domain::case::Case;
use domain::obligation::Status;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator11 {
    pub from: Date,
    pub to: Date,
    pub as_of: Date,
    /// Evaluations whose timeline ended: `timely + late + overdue`.
    pub counted: u32,
    pub timely: u32,
    /// Completed after the timeline.
    pub late: u32,
    /// Not completed and past the timeline.
    pub overdue: u32,
    /// Timeline still running on `as_of` (not counted).
    pub pending: u32,
    /// `timely / counted` as a percentage with one decimal; `None` when nothing was counted.
    pub percent_timely: Option<f64>,
    pub late_cases: Vec<LateEvaluation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateEvaluation {
    pub case_id: String,
    pub triggered_by: Option<String>,
    pub started_on: Date,
    pub due: Date,
    pub completed_on: Option<Date>,
    /// Days past `due` when completed, or as of `as_of` when still not done.
    pub days_late: i32,
}

/// Indicator 11 over `cases` (id and case) for clocks started in `[from, to]`, as of `as_of`.
pub fn indicator11<'a>(
    cases: impl IntoIterator<Item = (&'a str, &'a Case)>,
    from: Date,
    to: Date,
    as_of: Date,
) -> Result<Indicator11, UnknownJurisdiction> {
    let mut report = Indicator11 {
        from,
        to,
        as_of,
        counted: 0,
        timely: 0,
        late: 0,
        overdue: 0,
        pending: 0,
        percent_timely: None,
        late_cases: Vec::new(),
    };
    for (id, case) in cases {
        let profile = profile(&case.jurisdiction)?;
        let calendar = Calendar::new(&case.calendar);
        crate::engine::compute(
            case,
            profile,
            &calendar,
            as_of,
            Detail::Brief,
            |o, started_on| {
                if o.kind != "initial_evaluation" || started_on < from || started_on > to {
                    return;
                }
                let days_late = match o.status {
                    Status::Met => {
                        report.timely += 1;
                        return;
                    }
                    Status::Open => {
                        report.pending += 1;
                        return;
                    }
                    Status::MetLate => {
                        report.late += 1;
                        o.satisfied_on
                            .map_or(0, |d| day_number(d) - day_number(o.due))
                    }
                    Status::Overdue => {
                        report.overdue += 1;
                        day_number(as_of) - day_number(o.due)
                    }
                };
                report.late_cases.push(LateEvaluation {
                    case_id: id.to_string(),
                    triggered_by: o.triggered_by,
                    started_on,
                    due: o.due,
                    completed_on: o.satisfied_on,
                    days_late,
                });
            },
        );
    }
    report.counted = report.timely + report.late + report.overdue;
    if report.counted > 0 {
        let pct = f64::from(report.timely) * 100.0 / f64::from(report.counted);
        report.percent_timely = Some((pct * 10.0).round() / 10.0);
    }
    report.late_cases.sort_by(|a, b| {
        a.case_id
            .cmp(&b.case_id)
            .then(a.started_on.cmp(&b.started_on))
    });
    Ok(report)
}
