//! Case records round-trip on SQLite and PostgreSQL: services and sessions into the ledger's
//! input, goals with nullable baselines and real-valued points, interventions with probes, and
//! compare-and-set edits.

use law::ledger::{Per, SessionStatus};
use law::progress::Direction;
use store::testing::TestDb;
use store::{StoreError, districts, goals, rti, services, students};

fn date(s: &str) -> domain::Date {
    s.parse().unwrap()
}

fn seed(conn: &mut store::Conn) -> (i64, i64) {
    let district = districts::create_district(conn, "D", "US", &Default::default()).unwrap();
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
            preferred_language: "en",
            source_id: None,
        },
    )
    .unwrap();
    (district, student)
}

#[test]
fn services_and_sessions_round_trip_into_the_ledger_input() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let new = services::NewService {
            name: "Speech".into(),
            provider_role: "speech_language_pathologist".into(),
            minutes: 60,
            per: Per::Week,
            setting: "Speech room".into(),
            start: date("2026-09-01"),
            end: date("2027-05-28"),
        };
        let service = conn
            .transaction(|tx| services::add_service(tx, district, student, &new, None))
            .unwrap();
        assert_eq!(service.revision, 1);
        conn.transaction(|tx| {
            services::add_session(
                tx,
                district,
                student,
                &services::NewSession {
                    service_id: service.id,
                    on: date("2026-09-02"),
                    minutes: 30,
                    status: SessionStatus::ProviderAbsent,
                    note: "sick".into(),
                },
                None,
            )
        })
        .unwrap();
        let input = services::ledger_input(&mut conn, student, &Default::default()).unwrap();
        assert_eq!(input.services[0].id, service.id.to_string());
        assert_eq!(input.sessions[0].status, SessionStatus::ProviderAbsent);
        let logged = services::list_sessions(&mut conn, student).unwrap();
        assert_eq!(logged[0].service_name, "Speech");
        assert_eq!(logged[0].note, "sick");

        let edited = conn
            .transaction(|tx| services::update_service(tx, student, service.id, 1, &new))
            .unwrap();
        assert_eq!(edited.revision, 2);
        let stale =
            conn.transaction(|tx| services::update_service(tx, student, service.id, 1, &new));
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    }
}

#[test]
fn goals_points_and_interventions_round_trip() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let vague = goals::NewGoal {
            description: "Will improve".into(),
            measure: String::new(),
            baseline: goals::Mark::default(),
            target: goals::Mark {
                on: None,
                value: Some(40.5),
            },
            direction: Direction::Decrease,
            criterion: String::new(),
        };
        let goal = conn
            .transaction(|tx| goals::add_goal(tx, district, student, &vague, None))
            .unwrap();
        assert_eq!(goal.target.value, Some(40.5));
        assert_eq!(goal.direction, Direction::Decrease);
        assert_eq!(
            goal.missing(),
            [
                goals::Missing::Measure,
                goals::Missing::Baseline,
                goals::Missing::TargetDate
            ]
        );
        conn.transaction(|tx| {
            goals::add_point(
                tx,
                district,
                student,
                goal.id,
                date("2026-09-08"),
                12.25,
                "",
                None,
            )
        })
        .unwrap();
        assert_eq!(goals::points(&mut conn, goal.id).unwrap()[0].value, 12.25);

        let started = conn
            .transaction(|tx| {
                rti::add_intervention(
                    tx,
                    district,
                    student,
                    &rti::NewIntervention {
                        tier: 3,
                        program: "Reading".into(),
                        frequency: "daily".into(),
                        minutes: 30,
                        group_size: 2,
                        owner: "Ms. Lee".into(),
                        start: date("2026-09-01"),
                    },
                    None,
                )
            })
            .unwrap();
        assert_eq!(started.end, None);
        conn.transaction(|tx| {
            rti::add_probe(
                tx,
                district,
                student,
                started.id,
                date("2026-09-08"),
                21.0,
                None,
            )
        })
        .unwrap();
        let ended = conn
            .transaction(|tx| rti::end_intervention(tx, student, started.id, 1, date("2026-10-01")))
            .unwrap();
        assert_eq!(ended.end, Some(date("2026-10-01")));
        assert_eq!(rti::probes(&mut conn, started.id).unwrap().len(), 1);
    }
}

fn count(conn: &mut store::Conn, sql: &str) -> i64 {
    conn.query_one(sql, &[]).unwrap().int(0).unwrap()
}

#[test]
fn the_generator_writes_services_goals_and_interventions_deterministically() {
    let opts = store::synth::GenOptions {
        students: 600,
        seed: 7,
        jurisdiction: "US".into(),
        anchor: date("2026-11-02"),
        demo_logins: true,
    };
    let mut tallies = Vec::new();
    for db in TestDb::all() {
        let mut conn = db.conn();
        store::synth::generate(&mut conn, &opts, &mut |_, _| {}).unwrap();
        let tally: Vec<i64> = [
            "SELECT COUNT(*) FROM services",
            "SELECT COUNT(*) FROM service_sessions WHERE status = 'provider_absent'",
            "SELECT COUNT(*) FROM service_sessions WHERE status = 'make_up'",
            "SELECT COUNT(*) FROM goal_points",
            "SELECT COUNT(*) FROM interventions",
            "SELECT COUNT(*) FROM probes",
        ]
        .iter()
        .map(|sql| count(&mut conn, sql))
        .collect();
        assert!(tally.iter().all(|&n| n > 0), "{tally:?}");
        // The demo parent's child (the first student) has a service grid and a goal.
        let first = count(&mut conn, "SELECT MIN(student_id) FROM services");
        assert!(!goals::list_goals(&mut conn, first).unwrap().is_empty());
        tallies.push(tally);
    }
    // The same seed gives the same records on either database.
    assert!(tallies.windows(2).all(|w| w[0] == w[1]), "{tallies:?}");
}
