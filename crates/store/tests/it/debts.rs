//! The compensatory-debt summary (migration 0013) against the ledger itself: after random
//! services, session logs, grid edits and a calendar change, written through the store's own
//! functions, the district's debts read from the summary equal those computed from scratch
//! with `law::ledger::compute`, on the day of the writes and on random days around it.

use domain::Date;
use law::ledger::Per;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::services::{self, StudentDebt};
use store::testing::TestDb;
use store::{Conn, districts, students};

fn days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap()
}

/// The debts from first principles: every student's whole ledger, computed.
fn recomputed(conn: &mut Conn, district: i64, pupils: &[i64], as_of: Date) -> Vec<StudentDebt> {
    let calendar = districts::get_district(conn, district).unwrap().calendar;
    let mut debts = Vec::new();
    for &student_id in pupils {
        let input = services::ledger_input(conn, student_id, &calendar).unwrap();
        let report = law::ledger::compute(&input, as_of);
        let balance: u64 = report.services.iter().map(|s| s.balance).sum();
        let since = report
            .services
            .iter()
            .flat_map(|s| &s.periods)
            .filter(|p| p.owed > p.made_up)
            .map(|p| p.from)
            .min();
        if let Some(since) = since {
            debts.push(StudentDebt {
                student_id,
                since,
                balance,
            });
        }
    }
    debts.sort_by_key(|d| (d.since, d.student_id));
    debts
}

fn random_service(rng: &mut ChaCha8Rng, today: Date) -> services::NewService {
    let start = days(today, -rng.random_range(0..200i64));
    services::NewService {
        name: "Speech-language therapy".into(),
        provider_role: "speech_language_pathologist".into(),
        minutes: rng.random_range(1..300u32),
        per: if rng.random_bool(0.7) {
            Per::Week
        } else {
            Per::Month
        },
        setting: "Speech room".into(),
        start,
        end: days(start, rng.random_range(0..300i64)),
    }
}

fn assert_same(conn: &mut Conn, district: i64, pupils: &[i64], as_of: Date, what: &str) -> usize {
    let stored = services::district_debts(conn, district, as_of).unwrap();
    assert_eq!(
        stored.debts,
        recomputed(conn, district, pupils, as_of),
        "{what}, as of {as_of}"
    );
    stored.computed
}

#[test]
fn the_summary_gives_the_same_debts_as_recomputing_the_ledgers() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let today = store::today();
        let calendar = store::synth::calendar::school_calendar(today);
        let district = districts::create_district(&mut conn, "D", "US", &calendar).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(504);
        let pupils: Vec<i64> = (0..6)
            .map(|i| {
                students::add_student(
                    &mut conn,
                    &students::NewStudent {
                        district_id: district,
                        school_id: None,
                        first_name: "Pupil",
                        last_name: &format!("{i}"),
                        birth_date: "2016-03-01".parse().unwrap(),
                        jurisdiction: "US",
                        grade: Some("4"),
                        preferred_language: "en",
                        source_id: None,
                    },
                )
                .unwrap()
            })
            .collect();
        let mut grid: Vec<(i64, services::Service)> = Vec::new();
        for round in 0..120 {
            let student = pupils[rng.random_range(0..pupils.len())];
            let mine: Vec<&services::Service> = grid
                .iter()
                .filter(|(s, _)| *s == student)
                .map(|(_, service)| service)
                .collect();
            let roll = rng.random_range(0..10u8);
            if mine.is_empty() || roll == 0 {
                let new = random_service(&mut rng, today);
                let service = conn
                    .transaction(|tx| services::add_service(tx, district, student, &new, None))
                    .unwrap();
                grid.push((student, service));
            } else if roll == 1 {
                let old = mine[rng.random_range(0..mine.len())].clone();
                let new = random_service(&mut rng, today);
                let edited = conn
                    .transaction(|tx| {
                        services::update_service(tx, student, old.id, old.revision, &new)
                    })
                    .unwrap();
                for entry in grid.iter_mut().filter(|(_, s)| s.id == edited.id) {
                    entry.1 = edited.clone();
                }
            } else {
                let service = mine[rng.random_range(0..mine.len())];
                let session = services::NewSession {
                    service_id: service.id,
                    // Mostly past sessions, a few logged ahead of their day.
                    on: days(today, rng.random_range(-220..6i64)),
                    minutes: rng.random_range(1..120u32),
                    status: services::STATUSES[rng.random_range(0..services::STATUSES.len())],
                    note: String::new(),
                };
                conn.transaction(|tx| services::add_session(tx, district, student, &session, None))
                    .unwrap();
            }
            if round % 20 == 19 {
                // Written today, the summary answers today without computing anything.
                let computed = assert_same(&mut conn, district, &pupils, today, "after writes");
                assert_eq!(computed, 0, "every summary holds on the day it was written");
            }
        }
        assert!(
            recomputed(&mut conn, district, &pupils, today).len() >= 2,
            "the random grid owes minutes to several students, so the comparison means something"
        );

        // Other days: the summary still answers, computing the students it does not cover.
        let mut computed_some = false;
        for _ in 0..25 {
            let as_of = days(today, rng.random_range(-240..240i64));
            computed_some |= assert_same(&mut conn, district, &pupils, as_of, "another day") > 0;
            // The sweep rewrites what the day overtook; then the summary alone answers.
            let swept = services::sweep_debts(&mut conn, as_of).unwrap();
            assert_eq!(
                assert_same(&mut conn, district, &pupils, as_of, "after the sweep"),
                0,
                "{swept:?}"
            );
        }
        assert!(computed_some, "some days fall outside the stored windows");

        // A new calendar changes every mandate; the summary is rewritten with it.
        let mut closed = calendar.clone();
        for year in &mut closed.school_years {
            year.closed.push(domain::calendar::Closure {
                from: days(today, -40),
                to: days(today, -20),
                label: "Flood repairs".into(),
            });
        }
        districts::set_calendar(&mut conn, district, &closed).unwrap();
        assert_eq!(
            assert_same(
                &mut conn,
                district,
                &pupils,
                today,
                "after a calendar change"
            ),
            0
        );
    }
}

#[test]
fn a_missing_summary_is_computed_and_the_migration_fills_it() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let today = store::today();
        let district = districts::create_district(
            &mut conn,
            "D",
            "US",
            &store::synth::calendar::school_calendar(today),
        )
        .unwrap();
        let student = students::add_student(
            &mut conn,
            &students::NewStudent {
                district_id: district,
                school_id: None,
                first_name: "Leo",
                last_name: "Rivera",
                birth_date: "2017-04-02".parse().unwrap(),
                jurisdiction: "US",
                grade: Some("3"),
                preferred_language: "en",
                source_id: None,
            },
        )
        .unwrap();
        let new = services::NewService {
            name: "Speech".into(),
            provider_role: "speech_language_pathologist".into(),
            minutes: 60,
            per: Per::Week,
            setting: "Speech room".into(),
            start: days(today, -70),
            end: days(today, 100),
        };
        conn.transaction(|tx| services::add_service(tx, district, student, &new, None))
            .unwrap();
        let written = services::district_debts(&mut conn, district, today).unwrap();
        assert_eq!(written.computed, 0);
        assert_eq!(written.debts.len(), 1);
        // Rows lost (as in a database from before migration 0013) are computed on reading…
        conn.execute_batch("DELETE FROM service_debts").unwrap();
        let computed = services::district_debts(&mut conn, district, today).unwrap();
        assert_eq!(computed.debts, written.debts);
        assert_eq!(computed.computed, 1);
        // …and the migration's backfill (the same function) writes them again.
        conn.transaction(|tx| services::refresh_stale_debts(tx, today))
            .unwrap();
        assert_eq!(
            services::district_debts(&mut conn, district, today).unwrap(),
            written
        );
    }
}
