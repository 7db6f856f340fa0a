//! Properties that must hold for any case and calendar: deadlines never precede their trigger,
//! school-day clocks land on school days, closures never pull a deadline earlier, and the four
//! statuses partition every obligation.

use domain::calendar::{CalendarSpec, Closure, SchoolYear};
use domain::case::{Case, StudentFacts};
use domain::event::*;
use domain::obligation::Status;
use jiff::civil::Date;
use law::days::add_days;
use law::{Calendar, Detail, obligations_with, profile};
use proptest::prelude::*;

fn day(offset: i32) -> Date {
    add_days(jiff::civil::date(2026, 1, 1), offset)
}

prop_compose! {
    fn closure_in(first: i32, len: i32)(start in 0..len, span in 0..12i32) -> Closure {
        Closure { from: day(first + start), to: day(first + start + span), label: "closed".into() }
    }
}

prop_compose! {
    /// Two school years from mid-August to late May/June, with a few closures each.
    fn calendar_spec()(
        start1 in 220..235i32, len1 in 270..300i32, gap in 60..90i32, len2 in 270..300i32,
        c1 in prop::collection::vec(closure_in(225, 260), 0..6),
        c2 in prop::collection::vec(closure_in(225 + 365, 260), 0..6),
    ) -> CalendarSpec {
        let first2 = start1 + len1 + gap;
        CalendarSpec { school_years: vec![
            SchoolYear { first_day: day(start1), last_day: day(start1 + len1), closed: c1 },
            SchoolYear { first_day: day(first2), last_day: day(first2 + len2), closed: c2 },
        ] }
    }
}

fn event_kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::ConsentReceived {
            consent_for: ConsentFor::InitialEvaluation
        }),
        Just(EventKind::ConsentReceived {
            consent_for: ConsentFor::Reevaluation
        }),
        any::<bool>().prop_map(|eligible| EventKind::EligibilityDetermined {
            evaluation: EvaluationType::Initial,
            eligible,
            categories: vec![]
        }),
        Just(EventKind::EligibilityDetermined {
            evaluation: EvaluationType::Reevaluation,
            eligible: true,
            categories: vec!["intellectual_disability".into()]
        }),
        (
            prop_oneof![
                Just(MeetingPurpose::Initial),
                Just(MeetingPurpose::Annual),
                Just(MeetingPurpose::Amendment)
            ],
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(purpose, t, r)| EventKind::IepMeetingHeld {
                purpose,
                includes_transition: t,
                includes_rights_transfer_notice: r
            }),
        (0..400i32).prop_map(|o| EventKind::IepMeetingScheduled {
            meeting_on: day(200 + o)
        }),
        Just(EventKind::RecordsRequested),
        Just(EventKind::RecordsProvided),
        Just(EventKind::PlacementChangeDecided { disciplinary: true }),
        Just(EventKind::ManifestationDeterminationHeld),
        Just(EventKind::DueProcessComplaintReceived),
        Just(EventKind::ResolutionWaived),
        Just(EventKind::HearingDecisionIssued),
        Just(EventKind::StateComplaintFiled),
        (1..8u32).prop_map(|d| EventKind::DisciplinaryRemoval {
            school_days: d,
            removal: RemovalKind::Suspension
        }),
        Just(EventKind::ServicesStarted),
        (1..6u32).prop_map(|d| EventKind::AbsencesRecorded { school_days: d }),
        Just(EventKind::ReevaluationWaived),
        any::<bool>().prop_map(|written| EventKind::EvaluationRequested {
            by: Requester::Parent,
            written
        }),
        Just(EventKind::ProceduralSafeguardsProvided {
            reason: SafeguardsReason::Annual
        }),
        Just(EventKind::PartCReferralReceived),
        Just(EventKind::Exited {
            basis: "MKC".into()
        }),
    ]
}

prop_compose! {
    fn case_file()(
        spec in calendar_spec(),
        jurisdiction in prop::sample::select(law::jurisdictions()),
        born in 0..7000i32,
        events in prop::collection::vec((200..900i32, event_kind()), 0..14),
    ) -> Case {
        Case {
            jurisdiction,
            student: StudentFacts { birth_date: day(-born) },
            calendar: spec,
            events: events.into_iter().enumerate().map(|(i, (on, kind))| Event {
                id: format!("e{i}"), on: day(on), supersedes: None, kind,
            }).collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn deadlines_never_precede_their_trigger_and_statuses_partition(case in case_file(), as_of in 300..1000i32) {
        let as_of = day(as_of);
        let p = profile(&case.jurisdiction).unwrap();
        let cal = Calendar::new(&case.calendar);
        for o in obligations_with(&case, p, &cal, as_of, Detail::Full) {
            if let Some(t) = &o.triggered_by {
                let trigger = case.events.iter().find(|e| &e.id == t).unwrap();
                prop_assert!(o.due >= trigger.on, "{} due {} before its trigger {}", o.kind, o.due, trigger.on);
            }
            prop_assert!(!o.citation.is_empty());
            prop_assert!(!o.explanation.is_empty());
            if let Some(done) = o.satisfied_on {
                prop_assert!(done <= as_of, "satisfied after as_of");
            }
            // Exactly one of the four statuses describes the obligation.
            let met = o.satisfied_on.is_some_and(|d| d <= o.due);
            let late = o.satisfied_on.is_some_and(|d| d > o.due);
            let overdue = o.satisfied_on.is_none() && as_of > o.due;
            let open = o.satisfied_on.is_none() && as_of <= o.due;
            prop_assert_eq!([met, late, overdue, open].iter().filter(|b| **b).count(), 1);
            let expected = if met { Status::Met } else if late { Status::MetLate } else if overdue { Status::Overdue } else { Status::Open };
            prop_assert_eq!(o.status, expected);
        }
    }

    #[test]
    fn brief_and_full_agree_on_everything_but_the_explanation(case in case_file(), as_of in 300..1000i32) {
        let as_of = day(as_of);
        let p = profile(&case.jurisdiction).unwrap();
        let cal = Calendar::new(&case.calendar);
        let full = obligations_with(&case, p, &cal, as_of, Detail::Full);
        let brief = obligations_with(&case, p, &cal, as_of, Detail::Brief);
        prop_assert_eq!(full.len(), brief.len());
        for (f, b) in full.iter().zip(&brief) {
            prop_assert!(b.explanation.is_empty());
            prop_assert_eq!((&f.kind, f.due, f.status, &f.triggered_by, &f.satisfied_by), (&b.kind, b.due, b.status, &b.triggered_by, &b.satisfied_by));
        }
    }

    #[test]
    fn school_day_clocks_land_on_school_days(spec in calendar_spec(), t in 200..900i32, n in 1..70u32) {
        let cal = Calendar::new(&spec);
        let t = day(t);
        let counted = cal.nth_school_day_after(t, n);
        if !counted.estimated {
            prop_assert!(cal.is_school_day(counted.date));
            prop_assert!(spec.is_school_day(counted.date));
            prop_assert!(counted.date > t);
            prop_assert_eq!(cal.school_days_between(t, counted.date), n);
        }
    }

    #[test]
    fn a_closure_never_pulls_a_deadline_earlier(spec in calendar_spec(), extra in closure_in(225, 600), t in 200..900i32, n in 1..70u32) {
        let before = Calendar::new(&spec);
        let mut more = spec.clone();
        let year = if extra.from <= more.school_years[0].last_day { 0 } else { 1 };
        more.school_years[year].closed.push(extra);
        let after = Calendar::new(&more);
        let t = day(t);
        prop_assert!(after.nth_school_day_after(t, n).date >= before.nth_school_day_after(t, n).date);
        prop_assert!(after.nth_business_day_after(t, n).date >= before.nth_business_day_after(t, n).date);
        for ex in [
            law::calendar::Exclusions { summer: true, breaks_of_at_least: Some(5) },
            law::calendar::Exclusions { summer: true, breaks_of_at_least: Some(1) },
        ] {
            prop_assert!(after.calendar_days_after(t, n, ex).0 >= before.calendar_days_after(t, n, ex).0);
        }
    }

    #[test]
    fn classify_is_a_partition(due in 0..500i32, sat in proptest::option::of(0..500i32), as_of in 0..500i32) {
        let (due, sat, as_of) = (day(due), sat.map(day), day(as_of));
        let status = Status::classify(due, sat, as_of);
        let holds = |s: Status| match s {
            Status::Met => sat.is_some_and(|d| d <= due),
            Status::MetLate => sat.is_some_and(|d| d > due),
            Status::Overdue => sat.is_none() && as_of > due,
            Status::Open => sat.is_none() && as_of <= due,
        };
        prop_assert_eq!(Status::ALL.iter().filter(|s| holds(**s)).count(), 1);
        prop_assert!(holds(status));
    }
}
