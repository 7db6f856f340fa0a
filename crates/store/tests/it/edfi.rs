//! Ed-Fi records in the store: a bulk import rebuilds the secondary indexes it dropped (and a
//! failed one leaves them as they were), and the JSON copies of records imported before
//! migration 0014 move into the columns with nothing lost.

use interop::edfi::{DescriptorMap, parse_edfi};
use interop::normalized::Batch;
use std::path::Path;
use store::edfi_store::{self, EdfiWriter};
use store::testing::TestDb;
use store::{Backend, Conn, StoreError, districts};

fn fixture_batch() -> Batch {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../interop/tests/fixtures/edfi");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let map = DescriptorMap::from_json(&read("descriptor-map.json")).unwrap();
    let (students, bundle) = (read("students.json"), read("district-bundle.json"));
    parse_edfi(
        &[
            ("students.json", &students),
            ("district-bundle.json", &bundle),
        ],
        &map,
    )
    .unwrap()
}

fn as_of() -> domain::Date {
    "2026-11-24".parse().unwrap()
}

fn secondary_indexes(conn: &mut Conn) -> Vec<String> {
    conn.query(
        "SELECT name FROM sqlite_master
         WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN ('students', 'program_associations', 'eligibility_associations')
         ORDER BY name",
        &[],
    )
    .unwrap()
    .iter()
    .map(|row| row.string(0).unwrap())
    .collect()
}

fn records(batch: &Batch) -> Vec<edfi_store::Ready> {
    batch
        .records()
        .map(|record| edfi_store::ready(record).unwrap())
        .collect()
}

#[test]
fn a_bulk_import_rebuilds_the_indexes_it_dropped_and_a_failed_one_keeps_them() {
    let db = TestDb::sqlite();
    let mut conn = db.conn();
    let district =
        districts::create_district(&mut conn, "Bulk", "US", &Default::default()).unwrap();
    let indexes = secondary_indexes(&mut conn);
    assert_eq!(
        indexes,
        ["program_associations_by_program", "students_by_district"]
    );
    let batch = fixture_batch();

    // Told to expect a million records, the writer drops the indexes while it writes…
    let failed = conn.transaction(|tx| {
        let mut writer = EdfiWriter::begin(tx, district, 1_000_000)?;
        assert!(secondary_indexes(tx).is_empty());
        writer.write(tx, &records(&batch))?;
        Err::<(), _>(StoreError::Invalid("the files have problems".into()))
    });
    assert!(failed.is_err());
    // …and a rolled-back import leaves them, and no rows.
    assert_eq!(secondary_indexes(&mut conn), indexes);
    let students = conn
        .query_one("SELECT COUNT(*) FROM students", &[])
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(students, 0);

    let summary = conn
        .transaction(|tx| {
            let mut writer = EdfiWriter::begin(tx, district, 1_000_000)?;
            writer.write(tx, &records(&batch))?;
            writer.finish(tx, as_of())
        })
        .unwrap();
    assert_eq!(summary.students, batch.students.len() as u64);
    assert_eq!(secondary_indexes(&mut conn), indexes);
    // The rebuilt index answers (the query planner picks it for the district's students).
    let plan = conn
        .query(
            "EXPLAIN QUERY PLAN SELECT id FROM students WHERE district_id = 1 ORDER BY last_name",
            &[],
        )
        .unwrap();
    assert!(
        plan.iter()
            .any(|row| row.text(3).unwrap().contains("students_by_district")),
        "{plan:?}"
    );
}

#[test]
fn associations_read_before_their_students_wait_for_them_and_unknown_students_are_refused() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let district =
            districts::create_district(&mut conn, "Order", "US", &Default::default()).unwrap();
        let batch = fixture_batch();
        let mut programs_first = records(&batch);
        programs_first.rotate_left(batch.students.len());
        conn.transaction(|tx| {
            let mut writer = EdfiWriter::begin(tx, district, 0)?;
            writer.write(tx, &programs_first)?;
            writer.finish(tx, as_of())
        })
        .unwrap();
        let stored = edfi_store::export_batch(&mut conn).unwrap();
        assert_eq!(stored.programs, batch.programs);

        let mut orphan = batch.programs[0].clone();
        orphan.student_unique_id = "nobody".into();
        let refused = conn.transaction(|tx| {
            let mut writer = EdfiWriter::begin(tx, district, 0)?;
            let orphan = edfi_store::ready(interop::normalized::Record::Program(orphan))?;
            writer.write(tx, &[orphan])?;
            writer.finish(tx, as_of())
        });
        let message = refused.unwrap_err().to_string();
        assert!(
            message
                .contains("expected a student in these files or already imported, got \"nobody\""),
            "{message}"
        );
    }
}

#[test]
fn records_kept_as_json_before_migration_14_move_into_columns() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let district =
            districts::create_district(&mut conn, "Before", "US", &Default::default()).unwrap();
        let batch = fixture_batch();
        conn.transaction(|tx| edfi_store::import(tx, district, &batch, as_of()))
            .unwrap();
        let exported = edfi_store::export_batch(&mut conn).unwrap();
        assert!(!exported.programs.is_empty());

        // The shape of the table before 0014: the record as JSON, no Ed-Fi columns.
        conn.execute_batch("ALTER TABLE program_associations ADD COLUMN edfi_record TEXT")
            .unwrap();
        for program in &exported.programs {
            conn.execute(
                "UPDATE program_associations SET edfi_record = $1
                 WHERE student_id = (SELECT id FROM students WHERE source_id = $2)
                   AND begin_date = $3",
                store::params![
                    serde_json::to_string(program).unwrap(),
                    program.student_unique_id.as_str(),
                    program.begin_date
                ],
            )
            .unwrap();
        }
        conn.execute_batch(
            "UPDATE program_associations SET edfi_program_id = NULL, education_organization_id = NULL,
                 idea_eligibility = NULL, iep_begin_date = NULL, iep_end_date = NULL,
                 iep_review_date = NULL, last_evaluation_date = NULL,
                 section504_eligibility = NULL, accommodation_plan = NULL,
                 section504_disability_descriptor = NULL, section504_meeting_date = NULL,
                 section504_eligibility_decision_date = NULL;
             DELETE FROM edfi_programs;",
        )
        .unwrap();

        conn.transaction(edfi_store::move_records_into_columns)
            .unwrap();
        let left = conn
            .query_one(
                "SELECT COUNT(*) FROM program_associations WHERE edfi_record IS NOT NULL",
                &[],
            )
            .unwrap()
            .int(0)
            .unwrap();
        assert_eq!(left, 0);
        assert_eq!(edfi_store::export_batch(&mut conn).unwrap(), exported);
        if conn.backend() == Backend::Sqlite {
            assert_eq!(
                conn.query_one("PRAGMA integrity_check", &[])
                    .unwrap()
                    .string(0)
                    .unwrap(),
                "ok"
            );
        }
    }
}
