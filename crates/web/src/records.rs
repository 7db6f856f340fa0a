//! What the case-record pages and the API both compute: a student's ledger over the district
//! calendar (`law::ledger::compute`), a goal's progress (`law::progress::analyze`), and
//! whether RTI is running while a parent's evaluation request waits. The district's debts are
//! the store's summary (`store::services::district_debts`).

use domain::Date;
use domain::event::EventKind;
use law::ledger::{LedgerReport, ServiceLedger};
use law::progress::ProgressReport;
use store::StoreError;
use store::goals::{Goal, Point};
use store::services::Service;

/// A student's services with their ledger, in the grid's order.
pub struct StudentLedger {
    pub services: Vec<Service>,
    pub report: LedgerReport,
}

impl StudentLedger {
    /// Each service beside its ledger line.
    pub fn lines(&self) -> impl Iterator<Item = (&Service, &ServiceLedger)> {
        self.services.iter().filter_map(|s| {
            let id = s.id.to_string();
            self.report
                .services
                .iter()
                .find(|l| l.id == id)
                .map(|l| (s, l))
        })
    }

    pub fn balance(&self) -> u64 {
        self.report.services.iter().map(|s| s.balance).sum()
    }
}

pub fn student_ledger(
    tx: &mut store::Conn,
    student: &store::students::Student,
    as_of: Date,
) -> Result<StudentLedger, StoreError> {
    let calendar = store::districts::get_district(tx, student.district_id)?.calendar;
    let services = store::services::list_services(tx, student.id)?;
    let input = store::services::ledger_input(tx, student.id, &calendar)?;
    Ok(StudentLedger {
        services,
        report: law::ledger::compute(&input, as_of),
    })
}

/// A goal's progress, when it is measurable.
pub fn progress(
    goal: &Goal,
    points: &[Point],
) -> Option<(law::progress::GoalData, ProgressReport)> {
    let data = goal.data(points)?;
    let report = law::progress::analyze(&data);
    Some((data, report))
}

/// OSEP Memo 11-07 (the rule is the law crate's): a parent's evaluation request is pending
/// while the student is in RTI, by the timeline or by an intervention active today.
pub fn rti_delay_warning(
    events: &[domain::event::Event],
    interventions: &[store::rti::Intervention],
    today: Date,
) -> bool {
    let active_now = interventions.iter().any(|i| i.active_on(today));
    law::advisor::evaluation_pending_during_rti(events, active_now)
}

/// The Memo 11-07 citation, as the law crate's advisor states it.
pub const RTI_DELAY_CITATION: &str = law::advisor::RTI_CANNOT_DELAY_CITATION;

/// The tier an `rti_started`/`rti_ended` event records.
pub fn rti_event(id: String, on: Date, tier: u8, start: bool) -> domain::event::Event {
    domain::event::Event {
        id,
        on,
        supersedes: None,
        kind: if start {
            EventKind::RtiStarted { tier }
        } else {
            EventKind::RtiEnded { tier }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::event::{Event, Requester};

    fn event(on: &str, kind: EventKind) -> Event {
        Event {
            id: String::new(),
            on: on.parse().unwrap(),
            supersedes: None,
            kind,
        }
    }

    #[test]
    fn a_pending_parent_request_during_rti_warns_until_consent() {
        let today: Date = "2026-10-01".parse().unwrap();
        let mut events = vec![
            event("2026-09-01", EventKind::RtiStarted { tier: 2 }),
            event(
                "2026-09-10",
                EventKind::EvaluationRequested {
                    by: Requester::Parent,
                    written: true,
                },
            ),
        ];
        assert!(rti_delay_warning(&events, &[], today));
        events.push(event(
            "2026-09-20",
            EventKind::ConsentReceived {
                consent_for: domain::event::ConsentFor::InitialEvaluation,
            },
        ));
        assert!(!rti_delay_warning(&events, &[], today));
    }
}
