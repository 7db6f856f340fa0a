//! IEPs and 504 plans as versioned documents, on SQLite and PostgreSQL: the lifecycle, a
//! finalized version the database itself refuses to change, stale saves answered with the
//! other person's changes, finalizing into services, goals, the meeting event and each
//! teacher's acknowledgement, amendments that supersede, comments and reminders.

use domain::people::{Relation, Role};
use domain::plan::{PlanKind, PlanStatus};
use serde_json::json;
use store::plans::{self, Saved};
use store::synth::plans::{Team, iep_content, plan504_content};
use store::testing::TestDb;
use store::{StoreError, districts, goals, services, students, users};

fn date(s: &str) -> domain::Date {
    s.parse().unwrap()
}

struct Seed {
    district: i64,
    student: i64,
    manager: i64,
    teachers: [i64; 2],
    parent: i64,
}

fn user(conn: &mut store::Conn, district: i64, name: &str, role: Role) -> i64 {
    users::add_user(
        conn,
        &users::NewUser {
            district_id: district,
            username: name,
            display_name: name,
            role,
            password_hash: None,
            preferred_language: "en",
        },
    )
    .unwrap()
}

fn seed(conn: &mut store::Conn) -> Seed {
    let district = districts::create_district(conn, "D", "US", &Default::default()).unwrap();
    let student = students::add_student(
        conn,
        &students::NewStudent {
            district_id: district,
            school_id: None,
            first_name: "Leo",
            last_name: "Rivera",
            birth_date: date("2016-04-02"),
            jurisdiction: "US",
            grade: Some("4"),
            preferred_language: "en",
            source_id: None,
        },
    )
    .unwrap();
    let manager = user(conn, district, "Casey", Role::CaseManager);
    let teachers = [
        user(conn, district, "Tara", Role::Teacher),
        user(conn, district, "Theo", Role::Teacher),
    ];
    let parent = user(conn, district, "Ana", Role::Parent);
    students::link(conn, manager, student, Relation::CaseManager).unwrap();
    for t in teachers {
        students::link(conn, t, student, Relation::Teacher).unwrap();
    }
    students::link(conn, parent, student, Relation::Guardian).unwrap();
    Seed {
        district,
        student,
        manager,
        teachers,
        parent,
    }
}

fn team() -> Team {
    Team {
        parent: "Ana Rivera".into(),
        teacher: "Tara".into(),
        case_manager: "Casey".into(),
        coordinator: "Cora".into(),
    }
}

fn complete_iep(conn: &mut store::Conn, student: i64) -> serde_json::Value {
    let ages = plans::student_ages(conn, student).unwrap();
    serde_json::to_value(iep_content(
        "Leo",
        &ages,
        date("2026-10-01"),
        "initial",
        &team(),
        0,
    ))
    .unwrap()
}

#[test]
fn an_iep_moves_through_its_lifecycle_and_finalizing_writes_the_case_records() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let s = seed(&mut conn);
        let today = date("2026-10-02");
        let draft = conn
            .transaction(|tx| {
                plans::create(
                    tx,
                    s.district,
                    s.student,
                    PlanKind::Iep,
                    &json!({}),
                    Some(s.manager),
                )
            })
            .unwrap();
        assert_eq!(
            (draft.version, draft.status, draft.revision),
            (1, PlanStatus::Draft, 1)
        );
        // One version is written at a time.
        let second = conn.transaction(|tx| {
            plans::create(tx, s.district, s.student, PlanKind::Iep, &json!({}), None)
        });
        assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
        // An incomplete plan cannot be finalized, and says why with citations.
        let early = conn.transaction(|tx| {
            plans::transition(
                tx,
                s.student,
                draft.id,
                1,
                PlanStatus::Finalized,
                None,
                today,
            )
        });
        match early {
            Err(StoreError::Invalid(why)) => {
                assert!(
                    why.contains("present_levels_missing (34 CFR 300.320(a)(1))"),
                    "{why}"
                )
            }
            other => panic!("{other:?}"),
        }
        let content = complete_iep(&mut conn, s.student);
        let saved = conn
            .transaction(|tx| plans::save(tx, s.student, draft.id, 1, &content, Some(s.manager)))
            .unwrap();
        let Saved::Saved(saved) = saved else {
            panic!("stale")
        };
        assert_eq!(saved.revision, 2);
        let shared = conn
            .transaction(|tx| {
                plans::transition(tx, s.student, draft.id, 2, PlanStatus::Shared, None, today)
            })
            .unwrap();
        assert_eq!(shared.plan.status, PlanStatus::Shared);
        assert!(shared.event.is_none());
        let comment = conn
            .transaction(|tx| {
                plans::add_comment(tx, &shared.plan, s.parent, "Please add reading at home.")
            })
            .unwrap();
        assert_eq!(comment.author, "Ana");
        assert_eq!(plans::comments(&mut conn, draft.id).unwrap().len(), 1);

        let done = conn
            .transaction(|tx| {
                plans::transition(
                    tx,
                    s.student,
                    draft.id,
                    3,
                    PlanStatus::Finalized,
                    Some(s.manager),
                    today,
                )
            })
            .unwrap();
        assert_eq!(done.plan.status, PlanStatus::Finalized);
        assert!(done.plan.finalized_at.is_some());
        assert_eq!(done.teachers, 2);
        let event = done.event.expect("meeting event");
        assert_eq!(event.id, format!("plan-{}-meeting", draft.id));
        let body = serde_json::to_value(&event).unwrap();
        assert_eq!(body["kind"], "iep_meeting_held");
        assert_eq!(body["purpose"], "initial");
        assert_eq!(body["on"], "2026-10-01");
        // The service grid and the goals are now the case records, linked from the plan.
        let grid = services::list_services(&mut conn, s.student).unwrap();
        assert_eq!(grid.len(), 2);
        let written = plans::iep(&done.plan).unwrap();
        assert_eq!(written.services[0].service_id, Some(grid[0].id));
        let goal_rows = goals::list_goals(&mut conn, s.student).unwrap();
        assert_eq!(goal_rows.len(), 1);
        assert!(goal_rows[0].missing().is_empty());
        assert_eq!(written.goals[0].goal_id, Some(goal_rows[0].id));

        // Finalized means immutable: the store refuses, and so does the database itself.
        let edit = conn.transaction(|tx| plans::save(tx, s.student, draft.id, 4, &content, None));
        assert!(matches!(edit, Err(StoreError::Conflict(_))), "{edit:?}");
        let raw = conn.execute(
            "UPDATE plans SET content = '{}' WHERE id = $1",
            &[store::Value::Int(draft.id)],
        );
        assert!(raw.is_err(), "the database let a finalized version change");
        let back = conn.execute(
            "UPDATE plans SET status = 'draft' WHERE id = $1",
            &[store::Value::Int(draft.id)],
        );
        assert!(back.is_err(), "the database let a finalized version reopen");
        let gone = conn.execute(
            "DELETE FROM plans WHERE id = $1",
            &[store::Value::Int(draft.id)],
        );
        assert!(
            gone.is_err(),
            "the database let a finalized version be deleted"
        );
        let after = plans::get(&mut conn, s.student, draft.id).unwrap();
        assert_eq!(after.content, done.plan.content);

        // Each teacher acknowledges; the coordinator sees who has not, and reminds them.
        let status = plans::deliveries(&mut conn, draft.id).unwrap();
        assert_eq!(status.len(), 2);
        assert!(status.iter().all(|d| d.acknowledged_at.is_none()));
        assert_eq!(
            plans::pending_for(&mut conn, s.teachers[0]).unwrap().len(),
            1
        );
        conn.transaction(|tx| plans::acknowledge(tx, &after, s.teachers[0]))
            .unwrap();
        assert!(
            plans::pending_for(&mut conn, s.teachers[0])
                .unwrap()
                .is_empty()
        );
        let reminded = conn
            .transaction(|tx| plans::remind(tx, s.district, Some(draft.id), Some(s.manager)))
            .unwrap();
        assert_eq!(reminded, 1);
        let status = plans::deliveries(&mut conn, draft.id).unwrap();
        let tara = status
            .iter()
            .find(|d| d.teacher_id == s.teachers[0])
            .unwrap();
        let theo = status
            .iter()
            .find(|d| d.teacher_id == s.teachers[1])
            .unwrap();
        assert!(tara.acknowledged_at.is_some());
        assert_eq!(tara.reminders, 0);
        assert_eq!(theo.reminders, 1);
        assert!(theo.last_reminded_at.is_some());
        // A parent is not one of the teachers.
        let not_teacher = conn.transaction(|tx| plans::acknowledge(tx, &after, s.parent));
        assert!(matches!(not_teacher, Err(StoreError::NotFound(_))));

        // An amendment is a new version that says what changed; finalizing it supersedes.
        let missing = conn.transaction(|tx| plans::amend(tx, s.student, draft.id, " ", None));
        assert!(matches!(missing, Err(StoreError::Invalid(_))));
        let v2 = conn
            .transaction(|tx| {
                plans::amend(tx, s.student, draft.id, "Adds extended school year.", None)
            })
            .unwrap();
        assert_eq!((v2.version, v2.status), (2, PlanStatus::Draft));
        assert_eq!(
            v2.change_summary.as_deref(),
            Some("Adds extended school year.")
        );
        let mut amended = v2.content.clone();
        amended["esy"]["decision"] = json!("eligible");
        amended["meeting"] = json!({"on": "2026-11-02", "purpose": "amendment"});
        let Saved::Saved(v2) = conn
            .transaction(|tx| plans::save(tx, s.student, v2.id, 1, &amended, None))
            .unwrap()
        else {
            panic!("stale")
        };
        assert_eq!(
            plans::changes_from_previous(&mut conn, &v2).unwrap(),
            vec!["esy"]
        );
        // Not before the meeting has happened.
        let early = conn.transaction(|tx| {
            plans::transition(tx, s.student, v2.id, 2, PlanStatus::Finalized, None, today)
        });
        match early {
            Err(StoreError::Invalid(why)) => assert!(why.contains("meeting.on"), "{why}"),
            other => panic!("{other:?}"),
        }
        let fin = conn
            .transaction(|tx| {
                plans::transition(
                    tx,
                    s.student,
                    v2.id,
                    2,
                    PlanStatus::Finalized,
                    None,
                    date("2026-11-02"),
                )
            })
            .unwrap();
        assert_eq!(fin.superseded, Some(draft.id));
        let body = serde_json::to_value(fin.event.unwrap()).unwrap();
        assert_eq!(body["purpose"], "amendment");
        let v1 = plans::get(&mut conn, s.student, draft.id).unwrap();
        assert_eq!(v1.status, PlanStatus::Superseded);
        // The same services carry on (updated in place), not duplicated.
        assert_eq!(
            services::list_services(&mut conn, s.student).unwrap().len(),
            2
        );
        assert_eq!(goals::list_goals(&mut conn, s.student).unwrap().len(), 1);
        // The superseded version's deliveries no longer ask anything of teachers.
        assert_eq!(
            plans::pending_for(&mut conn, s.teachers[1]).unwrap().len(),
            1
        );
        assert_eq!(
            plans::pending_for(&mut conn, s.teachers[1]).unwrap()[0].plan_id,
            v2.id
        );
        assert_eq!(
            plans::current(&mut conn, s.student, PlanKind::Iep)
                .unwrap()
                .unwrap()
                .id,
            v2.id
        );
    }
}

#[test]
fn a_finalized_iep_keeps_its_environment_for_the_child_count() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let s = seed(&mut conn);
        let content = complete_iep(&mut conn, s.student);
        let plan = conn
            .transaction(|tx| {
                let draft =
                    plans::create(tx, s.district, s.student, PlanKind::Iep, &content, None)?;
                plans::transition(
                    tx,
                    s.student,
                    draft.id,
                    draft.revision,
                    PlanStatus::Finalized,
                    None,
                    date("2026-10-02"),
                )
            })
            .unwrap()
            .plan;
        let kept = |conn: &mut store::Conn| {
            let row = conn
                .query_one(
                    "SELECT environment, starts_on FROM plans WHERE id = $1",
                    store::params![plan.id],
                )
                .unwrap();
            (row.opt_string(0).unwrap(), row.opt_string(1).unwrap())
        };
        let expected = (Some("RC80".to_owned()), Some("2026-10-02".to_owned()));
        assert_eq!(kept(&mut conn), expected);
        // A version finalized before migration 0011 has neither; the migration fills them.
        conn.execute(
            "UPDATE plans SET environment = NULL, starts_on = NULL WHERE id = $1",
            store::params![plan.id],
        )
        .unwrap();
        let filled = conn.transaction(plans::fill_reported_environments).unwrap();
        assert_eq!(filled, 1);
        assert_eq!(kept(&mut conn), expected);
    }
}

#[test]
fn a_stale_save_is_refused_with_the_other_persons_changes() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let s = seed(&mut conn);
        let plan = conn
            .transaction(|tx| {
                plans::create(
                    tx,
                    s.district,
                    s.student,
                    PlanKind::Iep,
                    &json!({}),
                    Some(s.manager),
                )
            })
            .unwrap();
        let mine = json!({"present_levels": "Reads at grade 2."});
        let theirs = json!({"esy": {"decision": "eligible"}, "progress_reporting": "Quarterly"});
        conn.transaction(|tx| plans::save(tx, s.student, plan.id, 1, &theirs, Some(s.manager)))
            .unwrap();
        let stale = conn
            .transaction(|tx| plans::save(tx, s.student, plan.id, 1, &mine, Some(s.parent)))
            .unwrap();
        let Saved::Stale(stale) = stale else {
            panic!("a stale save was accepted")
        };
        assert_eq!(stale.your_revision, 1);
        assert_eq!(stale.current.revision, 2);
        assert_eq!(stale.changed_sections, vec!["esy", "progress_reporting"]);
        assert_eq!(stale.changed_by.as_deref(), Some("Casey"));
        assert_eq!(stale.current.content["progress_reporting"], "Quarterly");
        // Nothing of the stale save was written.
        let now = plans::get(&mut conn, s.student, plan.id).unwrap();
        assert_eq!(now.content["present_levels"], "");
        // Bad content names the field.
        let bad = conn.transaction(|tx| {
            plans::save(tx, s.student, plan.id, 2, &json!({"goals": "many"}), None)
        });
        match bad {
            Err(StoreError::Invalid(why)) => assert!(why.contains("goals"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_504_plan_records_its_meeting_and_reaches_the_teachers() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let s = seed(&mut conn);
        let content = serde_json::to_value(plan504_content(
            date("2026-09-15"),
            "initial",
            date("2027-09-15"),
            &team(),
            1,
        ))
        .unwrap();
        let plan = conn
            .transaction(|tx| {
                plans::create(tx, s.district, s.student, PlanKind::Plan504, &content, None)
            })
            .unwrap();
        let done = conn
            .transaction(|tx| {
                plans::transition(
                    tx,
                    s.student,
                    plan.id,
                    1,
                    PlanStatus::Finalized,
                    None,
                    date("2026-09-16"),
                )
            })
            .unwrap();
        let body = serde_json::to_value(done.event.unwrap()).unwrap();
        assert_eq!(body["kind"], "plan504_meeting_held");
        assert_eq!(body["purpose"], "initial");
        assert_eq!(done.teachers, 2);
        // A 504 plan writes no IEP services.
        assert!(
            services::list_services(&mut conn, s.student)
                .unwrap()
                .is_empty()
        );
        let ended = conn
            .transaction(|tx| {
                plans::transition(
                    tx,
                    s.student,
                    plan.id,
                    2,
                    PlanStatus::Ended,
                    None,
                    date("2026-12-01"),
                )
            })
            .unwrap();
        assert_eq!(ended.plan.status, PlanStatus::Ended);
        let again = conn.transaction(|tx| {
            plans::transition(
                tx,
                s.student,
                plan.id,
                3,
                PlanStatus::Finalized,
                None,
                date("2026-12-01"),
            )
        });
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        // Ended plans ask nothing more of teachers.
        assert!(
            plans::pending_for(&mut conn, s.teachers[0])
                .unwrap()
                .is_empty()
        );
    }
}
