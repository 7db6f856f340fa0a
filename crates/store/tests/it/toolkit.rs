//! The parent toolkit's records on SQLite and PostgreSQL: the communication log and the
//! document vault round-trip (bytes, SHA-256, refusals), parent-only districts, and the
//! family binder the demo creates.

use store::testing::TestDb;
use store::{StoreError, communications, districts, students, synth, vault};

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

fn entry(on: &str, channel: &str) -> communications::NewCommunication {
    communications::NewCommunication {
        on: date(on),
        channel: channel.into(),
        with_whom: "Ms. Alvarez".into(),
        summary: "Asked about the evaluation".into(),
        follow_up_due: Some(date("2026-10-15")),
        letter_kind: None,
        event_id: None,
    }
}

#[test]
fn communication_log_round_trips_newest_first() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        conn.transaction(|tx| {
            communications::add(tx, district, student, &entry("2026-09-01", "call"), None)?;
            let mut letter = entry("2026-10-01", "letter");
            letter.letter_kind = Some("evaluation_request".into());
            letter.event_id = Some("e7".into());
            communications::add(tx, district, student, &letter, None)
        })
        .unwrap();
        let log = communications::list(&mut conn, student).unwrap();
        assert_eq!(log.len(), 2, "{:?}", conn.backend());
        assert_eq!(log[0].channel, "letter");
        assert_eq!(log[0].event_id.as_deref(), Some("e7"));
        assert_eq!(log[1].on, date("2026-09-01"));
        assert_eq!(log[1].follow_up_due, Some(date("2026-10-15")));

        // Bad input is refused with the field named.
        for (bad, field) in [
            (entry("2026-09-01", "pigeon"), "channel"),
            (
                communications::NewCommunication {
                    summary: " ".into(),
                    ..entry("2026-09-01", "call")
                },
                "summary",
            ),
            (
                communications::NewCommunication {
                    follow_up_due: Some(date("2026-08-01")),
                    ..entry("2026-09-01", "call")
                },
                "follow_up_due",
            ),
        ] {
            match communications::add(&mut conn, district, student, &bad, None) {
                Err(StoreError::Invalid(m)) => assert!(m.starts_with(field), "{m}"),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}

#[test]
fn vault_keeps_bytes_and_hash_and_refuses_by_content() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-and-some-bytes".to_vec();
        let id = conn
            .transaction(|tx| {
                vault::add(
                    tx,
                    district,
                    student,
                    "photo.pdf",
                    date("2026-09-03"),
                    &png,
                    None,
                )
            })
            .unwrap()
            .expect("accepted");
        let stored = vault::get(&mut conn, student, id).unwrap().expect("found");
        assert_eq!(stored.content, png, "{:?}", conn.backend());
        assert_eq!(stored.info.media_type, "image/png");
        // The name follows the bytes, not the given extension.
        assert_eq!(stored.info.name, "photo.png");
        assert_eq!(stored.info.sha256, vault::sha256_hex(&png));
        assert_eq!(stored.info.size_bytes, png.len() as i64);
        assert!(vault::get(&mut conn, student + 1, id).unwrap().is_none());

        let refused = vault::add(
            &mut conn,
            district,
            student,
            "setup.pdf",
            date("2026-09-03"),
            b"MZ\x90\0\x03",
            None,
        )
        .unwrap();
        assert_eq!(refused, Err(vault::Refusal::Executable));
        assert_eq!(vault::list(&mut conn, student).unwrap().len(), 1);
    }
}

#[test]
fn the_family_binder_is_parent_only_with_log_and_documents() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let district = synth::family(&mut conn, 7, date("2026-11-24"), "US").unwrap();
        assert!(districts::is_parent_only(&mut conn, district).unwrap());
        let (other, _) = seed(&mut conn);
        assert!(!districts::is_parent_only(&mut conn, other).unwrap());
        let children = students::district_students(&mut conn, district, 10, 0).unwrap();
        assert!(!children.is_empty());
        let first = &children[0];
        let docs = vault::list(&mut conn, first.id).unwrap();
        assert_eq!(docs.len(), 2, "{:?}", conn.backend());
        for doc in docs {
            let stored = vault::get(&mut conn, first.id, doc.id).unwrap().unwrap();
            assert_eq!(vault::sniff(&stored.content), Ok(vault::Kind::Pdf));
            assert_eq!(vault::sha256_hex(&stored.content), doc.sha256);
        }
        assert!(
            !communications::list(&mut conn, first.id)
                .unwrap()
                .is_empty()
        );
    }
}
