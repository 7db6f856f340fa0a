//! The synthetic district and program associations, on SQLite and (when configured) PostgreSQL.

use domain::codes::Program;
use jiff::civil::date;
use store::programs::{self, Disability, NewProgramAssociation};
use store::synth::{GenOptions, generate};
use store::testing::TestDb;
use store::{Conn, StoreError, events};

fn options(students: u64, seed: u64) -> GenOptions {
    GenOptions {
        students,
        seed,
        jurisdiction: "US-TX".into(),
        anchor: date(2026, 11, 2),
        demo_logins: false,
    }
}

fn bodies(conn: &mut Conn) -> Vec<String> {
    conn.query("SELECT body FROM events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.string(0).unwrap())
        .collect()
}

#[test]
fn generates_a_valid_deterministic_district_on_both_databases() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let mut calls = 0;
        let summary = generate(&mut conn, &options(2_500, 7), &mut |_, _| calls += 1).unwrap();
        assert_eq!(summary.students, 2_500);
        assert_eq!(calls, 2, "one progress call per chunk of 2,000");
        assert!(summary.events > 2_500, "{summary:?}");
        assert!(summary.program_associations > 300, "{summary:?}");
        // Every stored body is a valid case event, and its kind column matches.
        let district = store::districts::get_district(&mut conn, summary.district_id).unwrap();
        assert_eq!(district.calendar.school_years.len(), 2);
        assert_eq!(district.jurisdiction, "US-TX");
        let rows = conn
            .query("SELECT student_id, kind, body FROM events", &[])
            .unwrap();
        for row in &rows {
            let event = events::parse_body(row.text(2).unwrap()).unwrap();
            assert!(event.on <= date(2026, 11, 2), "{event:?} after the anchor");
            assert_eq!(events::kind_tag(&event).unwrap(), row.text(1).unwrap());
        }
        let student = rows[0].int(0).unwrap();
        assert!(!events::list(&mut conn, student).unwrap().is_empty());

        // Same seed and anchor, fresh database: identical bodies. Another seed: different.
        let again = TestDb::sqlite();
        let mut again_conn = again.conn();
        generate(&mut again_conn, &options(2_500, 7), &mut |_, _| {}).unwrap();
        assert_eq!(bodies(&mut conn), bodies(&mut again_conn));
        let other = TestDb::sqlite();
        let mut other_conn = other.conn();
        generate(&mut other_conn, &options(2_500, 8), &mut |_, _| {}).unwrap();
        assert_ne!(bodies(&mut conn), bodies(&mut other_conn));
    }
}

#[test]
fn a_second_district_does_not_collide() {
    let db = TestDb::sqlite();
    let mut conn = db.conn();
    let first = generate(&mut conn, &options(50, 1), &mut |_, _| {}).unwrap();
    let second = generate(&mut conn, &options(50, 1), &mut |_, _| {}).unwrap();
    assert_ne!(first.district_id, second.district_id);
    assert_eq!(store::students::count_students(&mut conn).unwrap(), 100);
}

#[test]
fn bad_options_are_refused_before_writing() {
    let db = TestDb::sqlite();
    let mut conn = db.conn();
    let mut opts = options(10, 1);
    opts.jurisdiction = "Texas".into();
    let err = generate(&mut conn, &opts, &mut |_, _| {}).unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.starts_with("jurisdiction")),
        "{err}"
    );
    assert!(
        store::districts::list_districts(&mut conn)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn program_associations_round_trip_and_validate() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let district = store::districts::create_district(
            &mut conn,
            "D",
            "US",
            &domain::calendar::CalendarSpec::default(),
        )
        .unwrap();
        let student = store::students::add_student(
            &mut conn,
            &store::students::NewStudent {
                district_id: district,
                school_id: None,
                first_name: "Ana",
                last_name: "Lee",
                birth_date: date(2015, 3, 1),
                jurisdiction: "US",
                grade: None,
                preferred_language: "en",
                source_id: None,
            },
        )
        .unwrap();
        let disabilities = [
            Disability {
                code: "SLD".into(),
                order: 1,
            },
            Disability {
                code: "SLI".into(),
                order: 2,
            },
        ];
        let idea = NewProgramAssociation {
            district_id: district,
            student_id: student,
            program: Program::Idea,
            begin_date: date(2024, 9, 3),
            end_date: None,
            primary_disability: Some("SLD"),
            disabilities: &disabilities,
            environment: Some("RC80"),
            exit_basis: None,
            section504_disability: None,
            source_id: Some("edfi-1"),
        };
        programs::insert(&mut conn, &idea).unwrap();
        let conflict = programs::insert(&mut conn, &idea).unwrap_err();
        assert!(matches!(conflict, StoreError::Conflict(_)), "{conflict}");
        let bad = NewProgramAssociation {
            environment: Some("CLASSROOM"),
            begin_date: date(2025, 1, 6),
            ..idea.clone()
        };
        let err = programs::insert(&mut conn, &bad).unwrap_err();
        assert!(err.to_string().starts_with("environment"), "{err}");
        let rti = NewProgramAssociation {
            program: Program::Rti,
            ..idea.clone()
        };
        assert!(programs::insert(&mut conn, &rti).is_err());
        programs::insert(
            &mut conn,
            &NewProgramAssociation {
                program: Program::Section504,
                begin_date: date(2023, 1, 9),
                end_date: Some(date(2024, 9, 3)),
                primary_disability: None,
                disabilities: &[],
                environment: None,
                section504_disability: Some("Dyslexia"),
                source_id: None,
                ..idea.clone()
            },
        )
        .unwrap();
        let list = programs::list_for_student(&mut conn, student).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].program, Program::Section504);
        assert_eq!(list[0].end_date, Some(date(2024, 9, 3)));
        assert_eq!(list[1].disabilities, disabilities);
        assert_eq!(list[1].primary_disability.as_deref(), Some("SLD"));
        assert_eq!(list[1].source_id.as_deref(), Some("edfi-1"));
    }
}

/// The generator's evaluation records agree with the timeline: every linked step names an
/// event of its student, decisions include not-eligible ones with a sent notice, SLD decisions
/// carry a complete written report, and 504 decisions meet the ADAAA test.
#[test]
fn evaluation_records_follow_the_timeline() {
    use domain::evaluation::Step;
    for db in TestDb::all() {
        let mut conn = db.conn();
        let mut opts = options(400, 11);
        opts.jurisdiction = "US".into();
        let summary = generate(&mut conn, &opts, &mut |_, _| {}).unwrap();
        let students = conn
            .query(
                "SELECT id FROM students WHERE district_id = $1",
                store::params![summary.district_id],
            )
            .unwrap();
        let (mut ineligible_with_notice, mut sld, mut s504, mut steps) = (0, 0, 0, 0);
        let (mut refused_504, mut corrected) = (0, 0);
        for row in &students {
            let student = row.int(0).unwrap();
            let timeline = events::list(&mut conn, student).unwrap();
            let records = store::evaluations::list_steps(&mut conn, student).unwrap();
            let notices = store::evaluations::list_notices(&mut conn, student).unwrap();
            steps += records.len();
            for r in &records {
                if let Some(id) = &r.event_id {
                    let event = timeline.iter().find(|e| &e.id == id).expect("linked event");
                    assert_eq!(event.on, r.on, "{r:?}");
                }
                match &r.step {
                    Step::Eligibility(d) => {
                        if let Some(report) = &d.sld {
                            assert!(law::eligibility::sld_report_problems(report).is_empty());
                            sld += 1;
                        }
                        if !d.eligible
                            && notices
                                .iter()
                                .any(|n| n.step_id == Some(r.id) && n.is_sent())
                        {
                            ineligible_with_notice += 1;
                        }
                    }
                    Step::Section504(d) => {
                        assert!(law::eligibility::check_504(d).ok(), "{d:?}");
                        s504 += 1;
                        if !d.eligible
                            && notices
                                .iter()
                                .any(|n| n.step_id == Some(r.id) && n.is_sent())
                        {
                            refused_504 += 1;
                        }
                    }
                    _ => {}
                }
            }
            for r in records.iter().filter(|r| r.supersedes.is_some()) {
                // A correction supersedes the original step and the original's case event.
                let original = records.iter().find(|o| Some(o.id) == r.supersedes).unwrap();
                assert_eq!(original.superseded_by, Some(r.id));
                assert!(r.correction_reason.is_some());
                let event = timeline
                    .iter()
                    .find(|e| Some(&e.id) == r.event_id.as_ref())
                    .unwrap();
                assert_eq!(event.supersedes, original.event_id);
                corrected += 1;
            }
            for n in &notices {
                assert!(law::notice::missing(&n.notice, n.kind).is_empty());
                let id = n.event_id.as_ref().unwrap();
                assert!(timeline.iter().any(|e| &e.id == id));
            }
        }
        assert!(steps > 400, "{steps}");
        assert!(
            ineligible_with_notice > 0 && sld > 0 && s504 > 0,
            "{ineligible_with_notice} {sld} {s504}"
        );
        assert!(
            refused_504 > 0 && corrected > 0,
            "{refused_504} {corrected}"
        );
    }
}

/// Every student whose IEP meeting is on the timeline has the finalized IEP it wrote, and that
/// IEP's service grid and goals are the very records the ledger and progress monitoring read
/// (same ids, minutes, dates and wording); every student on a 504 plan has a finalized one; no
/// service or goal belongs to no plan; the debt summary the generator wrote answers on the
/// anchor without computing anything, and agrees with the ledgers computed from scratch.
#[test]
fn plans_are_the_services_and_goals_the_records_use() {
    use domain::event::EventKind;
    use domain::plan::{PlanKind, PlanStatus};
    use domain::plan_content::{IepContent, Plan504Content};
    for db in TestDb::all() {
        let mut conn = db.conn();
        let mut opts = options(600, 5);
        opts.jurisdiction = "US".into();
        let summary = generate(&mut conn, &opts, &mut |_, _| {}).unwrap();
        let students: Vec<i64> = conn
            .query(
                "SELECT id FROM students WHERE district_id = $1 ORDER BY id",
                store::params![summary.district_id],
            )
            .unwrap()
            .iter()
            .map(|r| r.int(0).unwrap())
            .collect();
        let calendar = store::districts::get_district(&mut conn, summary.district_id)
            .unwrap()
            .calendar;
        let (mut ieps, mut plans504, mut expected_debts) = (0, 0, Vec::new());
        for &student in &students {
            let timeline = events::list(&mut conn, student).unwrap();
            let services = store::services::list_services(&mut conn, student).unwrap();
            let goals = store::goals::list_goals(&mut conn, student).unwrap();
            let had_iep_meeting = timeline
                .iter()
                .any(|e| matches!(e.kind, EventKind::IepMeetingHeld { .. }));
            let programs = store::programs::list_for_student(&mut conn, student).unwrap();
            let on_504 = programs.iter().any(|p| p.program == Program::Section504);
            // Served under IDEA now (not exited) after an IEP meeting.
            let on_iep = had_iep_meeting
                && programs
                    .iter()
                    .any(|p| p.program == Program::Idea && p.end_date.is_none());
            let iep = store::plans::current(&mut conn, student, PlanKind::Iep).unwrap();
            match iep.filter(|p| p.status == PlanStatus::Finalized) {
                Some(plan) => {
                    ieps += 1;
                    let content: IepContent = serde_json::from_value(plan.content).unwrap();
                    assert!(!content.services.is_empty() && !content.goals.is_empty());
                    let ids: Vec<Option<i64>> =
                        content.services.iter().map(|l| l.service_id).collect();
                    assert_eq!(ids, services.iter().map(|s| Some(s.id)).collect::<Vec<_>>());
                    for (line, service) in content.services.iter().zip(&services) {
                        assert_eq!(line.service, service.name);
                        assert_eq!(line.minutes, i64::from(service.minutes));
                        assert_eq!(line.start, Some(service.start));
                        assert_eq!(line.end, Some(service.end));
                    }
                    let ids: Vec<Option<i64>> = content.goals.iter().map(|g| g.goal_id).collect();
                    assert_eq!(ids, goals.iter().map(|g| Some(g.id)).collect::<Vec<_>>());
                    for (planned, goal) in content.goals.iter().zip(&goals) {
                        assert_eq!(planned.description, goal.description);
                        assert_eq!(planned.target, goal.target.value);
                        assert_eq!(planned.by, goal.target.on);
                    }
                }
                None => {
                    // No IEP in effect without a meeting, or after leaving special education.
                    assert!(!on_iep, "student {student}");
                    assert!(services.is_empty() && goals.is_empty(), "student {student}");
                }
            }
            if on_504 {
                let plan = store::plans::current(&mut conn, student, PlanKind::Plan504)
                    .unwrap()
                    .expect("a 504 plan");
                assert_eq!(plan.status, PlanStatus::Finalized, "student {student}");
                let content: Plan504Content = serde_json::from_value(plan.content).unwrap();
                assert!(content.problems().is_empty(), "{:?}", content.problems());
                plans504 += 1;
            }
            let input = store::services::ledger_input(&mut conn, student, &calendar).unwrap();
            let report = law::ledger::compute(&input, opts.anchor);
            let since = report
                .services
                .iter()
                .flat_map(|s| &s.periods)
                .filter(|p| p.owed > p.made_up)
                .map(|p| p.from)
                .min();
            if let Some(since) = since {
                expected_debts.push(store::services::StudentDebt {
                    student_id: student,
                    since,
                    balance: report.services.iter().map(|s| s.balance).sum(),
                });
            }
        }
        assert!(ieps > 50 && plans504 > 10, "{ieps} {plans504}");
        expected_debts.sort_by_key(|d| (d.since, d.student_id));
        let stored =
            store::services::district_debts(&mut conn, summary.district_id, opts.anchor).unwrap();
        assert_eq!(stored.computed, 0);
        assert!(!expected_debts.is_empty());
        assert_eq!(stored.debts, expected_debts);
    }
}
