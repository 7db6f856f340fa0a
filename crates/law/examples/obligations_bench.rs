//! Times `obligations` over synthetic cases the way a district sweep calls it: one shared
//! calendar, profiles from the registry, many students. Prints students per second on one
//! thread, with explanations (`Detail::Full`) and without (`Detail::Brief`).
//!
//! `cargo run --release -p law --example obligations_bench [students]`

use domain::calendar::{CalendarSpec, Closure, SchoolYear};
use domain::case::{Case, StudentFacts};
use domain::event::*;
use jiff::civil::{Date, date};
use law::days::add_days;
use law::{Calendar, Detail, obligations_with, profile};
use std::hint::black_box;
use std::time::Instant;

fn calendar() -> CalendarSpec {
    let closed = |from: Date, to: Date, label: &str| Closure {
        from,
        to,
        label: label.into(),
    };
    CalendarSpec {
        school_years: vec![
            SchoolYear {
                first_day: date(2025, 8, 18),
                last_day: date(2026, 5, 29),
                closed: vec![
                    closed(date(2025, 11, 24), date(2025, 11, 28), "Thanksgiving"),
                    closed(date(2025, 12, 22), date(2026, 1, 2), "Winter break"),
                    closed(date(2026, 3, 23), date(2026, 3, 27), "Spring break"),
                ],
            },
            SchoolYear {
                first_day: date(2026, 8, 17),
                last_day: date(2027, 5, 28),
                closed: vec![
                    closed(date(2026, 11, 23), date(2026, 11, 27), "Thanksgiving"),
                    closed(date(2026, 12, 21), date(2027, 1, 1), "Winter break"),
                    closed(date(2027, 3, 22), date(2027, 3, 26), "Spring break"),
                ],
            },
        ],
    }
}

/// A student at one of several stages: referral and evaluation, a first IEP, an older student
/// with annual reviews, discipline, a records request.
fn synthetic_case(i: u64, jurisdictions: &[String]) -> Case {
    let base = add_days(date(2025, 9, 1), i32::try_from(i % 200).unwrap_or(0));
    let ev = |n: usize, days: i32, kind: EventKind| Event {
        id: format!("e{n}"),
        on: add_days(base, days),
        supersedes: None,
        kind,
    };
    let mut events = vec![
        ev(
            0,
            0,
            EventKind::EvaluationRequested {
                by: Requester::Parent,
                written: true,
            },
        ),
        ev(
            1,
            7,
            EventKind::ConsentReceived {
                consent_for: ConsentFor::InitialEvaluation,
            },
        ),
    ];
    if !i.is_multiple_of(4) {
        events.push(ev(
            2,
            55,
            EventKind::EligibilityDetermined {
                evaluation: EvaluationType::Initial,
                eligible: true,
                categories: vec!["specific_learning_disability".into()],
            },
        ));
        events.push(ev(
            3,
            80,
            EventKind::IepMeetingHeld {
                purpose: MeetingPurpose::Initial,
                includes_transition: false,
                includes_rights_transfer_notice: false,
            },
        ));
        events.push(ev(
            4,
            80,
            EventKind::ProceduralSafeguardsProvided {
                reason: SafeguardsReason::Annual,
            },
        ));
    }
    if i.is_multiple_of(3) {
        events.push(ev(
            5,
            300,
            EventKind::IepMeetingHeld {
                purpose: MeetingPurpose::Annual,
                includes_transition: true,
                includes_rights_transfer_notice: false,
            },
        ));
    }
    if i.is_multiple_of(10) {
        events.push(ev(6, 120, EventKind::RecordsRequested));
        events.push(ev(
            7,
            130,
            EventKind::PlacementChangeDecided { disciplinary: true },
        ));
        events.push(ev(
            8,
            125,
            EventKind::DisciplinaryRemoval {
                school_days: 11,
                removal: RemovalKind::Suspension,
            },
        ));
    }
    let age = 5 + (i % 12) as i16;
    Case {
        jurisdiction: jurisdictions[(i as usize) % jurisdictions.len()].clone(),
        student: StudentFacts {
            birth_date: law::days::add_years(date(2026, 3, 1), -age),
        },
        calendar: CalendarSpec::default(),
        events,
    }
}

fn main() {
    let students: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let jurisdictions = law::jurisdictions();
    let cases: Vec<Case> = (0..students.min(10_000))
        .map(|i| synthetic_case(i, &jurisdictions))
        .collect();
    let cal = Calendar::new(&calendar());
    let profiles: Vec<_> = cases
        .iter()
        .map(|c| profile(&c.jurisdiction).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let as_of = date(2026, 11, 24);
    for detail in [Detail::Brief, Detail::Full] {
        let start = Instant::now();
        let mut obligations = 0usize;
        for i in 0..students as usize {
            let k = i % cases.len();
            let out = obligations_with(black_box(&cases[k]), profiles[k], &cal, as_of, detail);
            obligations += out.len();
            black_box(out);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{detail:?}: {students} students, {obligations} obligations in {secs:.3} s → {:.0} students/s on one thread ({:.2} µs per student)",
            students as f64 / secs,
            secs * 1e6 / students as f64
        );
    }
}
