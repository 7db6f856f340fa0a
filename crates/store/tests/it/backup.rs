//! Backup and restore across both databases: every pair of source and target backends gives
//! equal table contents; a non-empty target is refused and left untouched.

use jiff::civil::date;
use store::backup::{backup, dump, restore};
use store::synth::{GenOptions, generate};
use store::testing::TestDb;
use store::{StoreError, users};

fn fill(db: &TestDb) {
    let mut conn = db.conn();
    let opts = GenOptions {
        students: 120,
        seed: 3,
        jurisdiction: "US".into(),
        anchor: date(2026, 11, 2),
        demo_logins: true,
    };
    generate(&mut conn, &opts, &mut |_, _| {}).unwrap();
    let admin = users::find_by_username(&mut conn, "admin")
        .unwrap()
        .unwrap();
    users::add_api_token(&mut conn, admin.id, "secret-token", "2030-01-01T00:00:00Z").unwrap();
    users::set_totp(&mut conn, admin.id, Some("JBSWY3DPEHPK3PXP"), true).unwrap();
    // The vault's bytes and a parent-only district travel too.
    let district = store::districts::list_districts(&mut conn).unwrap()[0].id;
    let child = store::students::district_students(&mut conn, district, 1, 0).unwrap()[0].id;
    let png = b"\x89PNG\r\n\x1a\n\0\x01\x02\xff binary bytes";
    store::vault::add(
        &mut conn,
        district,
        child,
        "note.png",
        date(2026, 10, 1),
        png,
        None,
    )
    .unwrap()
    .unwrap();
    let family =
        store::districts::create_district(&mut conn, "Family", "US", &Default::default()).unwrap();
    store::districts::mark_parent_only(&mut conn, family).unwrap();
}

#[test]
fn backup_then_restore_gives_equal_contents_between_any_backends() {
    let dir = tempfile::tempdir().unwrap();
    for (i, source) in TestDb::all().into_iter().enumerate() {
        fill(&source);
        let file = dir.path().join(format!("backup-{i}.sqlite"));
        let summary = backup(&source.location, &file).unwrap();
        assert!(summary.rows > 500, "{summary:?}");
        // A backup never overwrites.
        assert!(matches!(
            backup(&source.location, &file),
            Err(StoreError::Conflict(_))
        ));
        let expected = dump(&mut source.conn()).unwrap();
        for table in ["vault_documents", "communications", "parent_only_districts"] {
            assert!(
                !expected[table].is_empty(),
                "{table} is filled before the backup"
            );
        }
        for target in TestDb::all() {
            let restored = restore(&target.location, &file).unwrap();
            assert_eq!(restored.rows, summary.rows);
            let mut conn = target.conn();
            assert_eq!(dump(&mut conn).unwrap(), expected, "{:?}", target.location);
            // Identity sequences continue after the restored ids.
            let district = store::districts::list_districts(&mut conn).unwrap()[0].id;
            store::districts::create_school(&mut conn, district, "New school", None).unwrap();

            // A second restore into the now non-empty database is refused and writes nothing.
            let before = dump(&mut conn).unwrap();
            let err = restore(&target.location, &file).unwrap_err();
            assert!(
                matches!(&err, StoreError::Conflict(m) if m.contains("not empty")),
                "{err}"
            );
            assert_eq!(dump(&mut conn).unwrap(), before);
        }
    }
}

#[test]
fn restore_refuses_what_is_not_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let target = TestDb::sqlite();
    let missing = restore(&target.location, &dir.path().join("nope.sqlite")).unwrap_err();
    assert!(matches!(missing, StoreError::NotFound(_)), "{missing}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database").unwrap();
    let err = restore(&target.location, &text).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
}
