//! The store against real databases: SQLite always, PostgreSQL when configured.

use domain::event::{ConsentFor, Event, EventKind};
use domain::people::{Relation, Role};
use store::testing::TestDb;
use store::{StoreError, access_log, districts, events, students, users};

fn date(s: &str) -> domain::Date {
    s.parse().unwrap()
}

fn seed(conn: &mut store::Conn) -> (i64, i64) {
    let district =
        districts::create_district(conn, "Test District", "US", &Default::default()).unwrap();
    let student = students::add_student(
        conn,
        &students::NewStudent {
            district_id: district,
            school_id: None,
            first_name: "Leo",
            last_name: "Rivera",
            birth_date: date("2017-04-02"),
            jurisdiction: "US",
            grade: Some("3"),
            preferred_language: "es",
            source_id: None,
        },
    )
    .unwrap();
    (district, student)
}

fn consent(id: &str, on: &str) -> Event {
    Event {
        id: id.into(),
        on: date(on),
        supersedes: None,
        kind: EventKind::ConsentReceived {
            consent_for: ConsentFor::InitialEvaluation,
        },
    }
}

#[test]
fn students_and_events_round_trip() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let loaded = students::get_student(&mut conn, student).unwrap();
        assert_eq!(loaded.first_name, "Leo");
        assert_eq!(loaded.birth_date, date("2017-04-02"));
        assert_eq!(loaded.preferred_language, "es");

        let e1 = consent("e1", "2026-09-08");
        let appended = conn
            .transaction(|tx| events::append(tx, district, student, &e1, None))
            .unwrap();
        assert!(matches!(appended, events::Appended::Created(_)));
        assert_eq!(events::list(&mut conn, student).unwrap(), vec![e1.clone()]);

        // The same event again is a replay, not a second row.
        let again = conn
            .transaction(|tx| events::append(tx, district, student, &e1, None))
            .unwrap();
        assert!(matches!(again, events::Appended::Replayed(_)));
        assert_eq!(events::list(&mut conn, student).unwrap().len(), 1);

        // A different event under the same id is refused.
        let clash = consent("e1", "2026-09-09");
        let err = conn
            .transaction(|tx| events::append(tx, district, student, &clash, None))
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    }
}

#[test]
fn a_failed_transaction_writes_nothing() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let result: Result<(), StoreError> = conn.transaction(|tx| {
            events::append(tx, district, student, &consent("a", "2026-09-08"), None)?;
            events::append(tx, district, student, &consent("b", "2026-09-09"), None)?;
            Err(StoreError::Invalid("the third write failed".into()))
        });
        assert!(result.is_err());
        assert!(events::list(&mut conn, student).unwrap().is_empty());
    }
}

#[test]
fn users_links_and_tokens() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let new_user = users::NewUser {
            district_id: district,
            username: "ana",
            display_name: "Ana Rivera",
            role: Role::Parent,
            password_hash: Some("$argon2id$stub"),
            preferred_language: "es",
        };
        let user = users::add_user(&mut conn, &new_user).unwrap();
        let dup = users::add_user(&mut conn, &new_user).unwrap_err();
        assert!(matches!(dup, StoreError::Conflict(_)), "{dup}");
        students::link(&mut conn, user, student, Relation::Guardian).unwrap();
        students::link(&mut conn, user, student, Relation::Guardian).unwrap();
        assert_eq!(
            students::relations(&mut conn, user, student).unwrap(),
            vec![Relation::Guardian]
        );
        assert_eq!(students::linked_students(&mut conn, user).unwrap().len(), 1);

        users::add_api_token(&mut conn, user, "secret-token", "2999-01-01T00:00:00Z").unwrap();
        let found = users::user_for_token(&mut conn, "secret-token")
            .unwrap()
            .unwrap();
        assert_eq!(found.username, "ana");
        assert!(users::user_for_token(&mut conn, "wrong").unwrap().is_none());
        users::add_api_token(&mut conn, user, "old-token", "2000-01-01T00:00:00Z").unwrap();
        assert!(
            users::user_for_token(&mut conn, "old-token")
                .unwrap()
                .is_none(),
            "expired"
        );
    }
}

#[test]
fn the_access_log_chain_detects_edits() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        for action in ["read record", "read obligations", "read events"] {
            conn.transaction(|tx| {
                access_log::record(
                    tx,
                    &access_log::NewEntry {
                        district_id: district,
                        student_id: Some(student),
                        user_id: None,
                        who: "Pat Kim",
                        role: "case_manager",
                        action,
                        purpose: "case management",
                        at: None,
                    },
                )
            })
            .unwrap();
        }
        assert_eq!(
            access_log::verify(&mut conn).unwrap(),
            access_log::Verdict::Intact { entries: 3 }
        );
        assert_eq!(
            access_log::for_student(&mut conn, student).unwrap().len(),
            3
        );

        conn.execute("UPDATE access_log SET who = 'Someone Else' WHERE id = (SELECT MIN(id) + 1 FROM access_log)", &[]).unwrap();
        match access_log::verify(&mut conn).unwrap() {
            access_log::Verdict::Broken { reason, .. } => {
                assert!(reason.contains("altered"), "{reason}")
            }
            other => panic!("edit not detected: {other:?}"),
        }
    }
}

#[test]
fn concurrent_readers_share_group_commits_and_keep_the_chain() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let writer = access_log::GroupWriter::start(&db.location);
        std::thread::scope(|scope| {
            for reader in 0..16 {
                let writer = writer.clone();
                scope.spawn(move || {
                    for read in 0..10 {
                        let entry = |n: usize| access_log::OwnedEntry {
                            district_id: district,
                            student_id: Some(student),
                            user_id: None,
                            who: format!("reader {reader}"),
                            role: "case_manager".into(),
                            action: format!("read {read}.{n}"),
                            purpose: "case management".into(),
                            at: store::now(),
                        };
                        writer.append(vec![entry(0), entry(1)]).unwrap();
                    }
                });
            }
        });
        assert_eq!(
            access_log::verify(&mut conn).unwrap(),
            access_log::Verdict::Intact { entries: 320 }
        );
        // One reader's entries stay together and in order.
        let mine: Vec<String> = access_log::for_student(&mut conn, student)
            .unwrap()
            .into_iter()
            .filter(|e| e.who == "reader 3")
            .map(|e| e.action)
            .collect();
        assert_eq!(mine.len(), 20);
        assert_eq!(mine[0..2], ["read 0.0", "read 0.1"]);
    }
}

#[test]
fn migrate_is_idempotent() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        assert!(store::migrate::migrate(&mut conn).unwrap().is_empty());
        assert_eq!(
            store::migrate::current_version(&mut conn).unwrap(),
            store::migrate::latest_version()
        );
    }
}
