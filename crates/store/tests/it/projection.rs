//! The obligation projection on both databases: refresh after an event, and the bulk sweep.

use domain::event::{ConsentFor, Event, EventKind};
use store::testing::TestDb;
use store::{districts, events, projection, students};

fn date(s: &str) -> domain::Date {
    s.parse().unwrap()
}

fn student_with_consent(conn: &mut store::Conn, consent_on: &str) -> i64 {
    let district = match districts::list_districts(conn).unwrap().first() {
        Some(d) => d.id,
        None => districts::create_district(conn, "D", "US", &Default::default()).unwrap(),
    };
    let student = students::add_student(
        conn,
        &students::NewStudent {
            district_id: district,
            school_id: None,
            first_name: "Ada",
            last_name: "Lee",
            birth_date: date("2016-03-01"),
            jurisdiction: "US",
            grade: None,
            preferred_language: "en",
            source_id: None,
        },
    )
    .unwrap();
    let consent = Event {
        id: "c1".into(),
        on: date(consent_on),
        supersedes: None,
        kind: EventKind::ConsentReceived {
            consent_for: ConsentFor::InitialEvaluation,
        },
    };
    conn.transaction(|tx| {
        events::append(tx, district, student, &consent, None)?;
        projection::refresh_student(tx, student, date("2026-11-24"))
    })
    .unwrap();
    student
}

fn projected(conn: &mut store::Conn, student: i64) -> Vec<(String, String, String)> {
    conn.query(
        "SELECT kind, due, status FROM obligations WHERE student_id = $1 ORDER BY ordinal",
        store::params![student],
    )
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.string(0).unwrap(),
            r.string(1).unwrap(),
            r.string(2).unwrap(),
        )
    })
    .collect()
}

#[test]
fn an_event_refreshes_the_students_obligations() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let student = student_with_consent(&mut conn, "2026-09-08");
        // 2026-09-08 + 60 calendar days = 2026-11-07, unmet on 2026-11-24.
        assert_eq!(
            projected(&mut conn, student),
            vec![(
                "initial_evaluation".into(),
                "2026-11-07".into(),
                "overdue".into()
            )]
        );
        let full = projection::obligations_for_student(
            &mut conn,
            student,
            date("2026-11-24"),
            law::Detail::Full,
        )
        .unwrap();
        assert_eq!(full[0].citation, "34 CFR 300.301(c)(1)");
        assert_eq!(full[0].explanation[0], "consent received 2026-09-08");
        let es = projection::obligations_for_student(
            &mut conn,
            student,
            date("2026-11-24"),
            law::Detail::In(law::Lang::Es),
        )
        .unwrap();
        assert_eq!(
            es[0].explanation[0],
            "consentimiento dado el 8 de septiembre de 2026"
        );
        assert_eq!(es[0].due, full[0].due);
    }
}

#[test]
fn sweep_recomputes_everyone_and_counts_by_status() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let late = student_with_consent(&mut conn, "2026-09-08");
        let fresh = student_with_consent(&mut conn, "2026-11-20");
        conn.execute("DELETE FROM obligations", &[]).unwrap();
        let summary = projection::sweep(&db.location, date("2026-11-24"), &|_| {}).unwrap();
        assert_eq!(summary.students, 2);
        assert_eq!(summary.by_status.get("overdue"), Some(&1));
        assert_eq!(summary.by_status.get("open"), Some(&1));
        assert_eq!(summary.by_kind["initial_evaluation"]["open"], 1);
        assert_eq!(projected(&mut conn, late)[0].2, "overdue");
        assert_eq!(projected(&mut conn, fresh)[0].1, "2027-01-19");
    }
}

#[test]
fn sweep_rewrites_changed_rows_and_drops_inactive_students() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let steady = student_with_consent(&mut conn, "2026-11-20");
        let leaving = student_with_consent(&mut conn, "2026-11-20");
        let unchanged = student_with_consent(&mut conn, "2026-11-20");
        projection::sweep(&db.location, date("2026-11-24"), &|_| {}).unwrap();
        assert_eq!(projected(&mut conn, steady)[0].2, "open");

        // A hand-edited row is put back; a student no longer active loses their rows. (One of
        // the two active students changed: the sweep rewrites just that one.)
        conn.execute(
            "UPDATE obligations SET status = 'met' WHERE student_id = $1",
            store::params![steady],
        )
        .unwrap();
        conn.execute(
            "UPDATE students SET active = FALSE WHERE id = $1",
            store::params![leaving],
        )
        .unwrap();
        let summary = projection::sweep(&db.location, date("2026-11-25"), &|_| {}).unwrap();
        assert_eq!(summary.students, 2);
        assert_eq!(projected(&mut conn, steady)[0].2, "open");
        assert_eq!(projected(&mut conn, unchanged)[0].2, "open");
        assert!(projected(&mut conn, leaving).is_empty());

        // Past the due date every status moves, and the sweep writes them all.
        projection::sweep(&db.location, date("2027-02-01"), &|_| {}).unwrap();
        assert_eq!(projected(&mut conn, steady)[0].2, "overdue");
        assert_eq!(projected(&mut conn, unchanged)[0].2, "overdue");
        let as_of = conn
            .query_one(
                "SELECT obligations_as_of FROM students WHERE id = $1",
                store::params![steady],
            )
            .unwrap()
            .string(0)
            .unwrap();
        assert_eq!(as_of, "2027-02-01");
    }
}
