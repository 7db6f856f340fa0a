//! `import oneroster`, `import edfi`, `export edfi`, the federal `report`s and `edfi-client`,
//! run through the built binary on SQLite and (when configured) PostgreSQL, over the interop
//! crate's fixtures: upsert by source id, deactivation, replay, round trip, exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use store::testing::TestDb;
use store::{Conn, Location, params};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../interop/tests/fixtures")
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(db: &TestDb, args: &[&str]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep504"));
    cmd.env_remove("DATABASE_URL").env_remove("IEP504_DB");
    match &db.location {
        Location::Sqlite(path) => cmd.arg("--db").arg(path),
        Location::Postgres(url) => cmd.arg("--database-url").arg(url),
    };
    let out = cmd.args(args).output().expect("run iep504");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(db: &TestDb, args: &[&str]) -> Value {
    let out = run(db, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn bad(db: &TestDb, args: &[&str], names: &str) {
    let out = run(db, args);
    assert_eq!(out.code, 2, "{args:?} should be bad input: {}", out.stderr);
    assert!(
        out.stderr.contains(names),
        "should name `{names}`: {}",
        out.stderr
    );
}

fn count(conn: &mut Conn, sql: &str) -> i64 {
    conn.query_one(sql, &[]).unwrap().int(0).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn oneroster_import_upserts_links_and_deactivates_what_disappeared() {
    for db in TestDb::all() {
        let tmp = tempfile::tempdir().unwrap();
        let roster = tmp.path().join("roster");
        copy_dir(&fixtures().join("oneroster"), &roster);
        let summary = ok(&db, &["import", "oneroster", path(&roster)]);
        assert_eq!(summary["schools"], 2, "{summary}");
        assert_eq!(summary["students"], 3, "{summary}");
        assert!(summary["guardians"].as_u64() >= Some(1), "{summary}");
        assert!(summary["teachers"].as_u64() >= Some(1), "{summary}");
        let mut conn = db.conn();
        // stu-3 is `tobedeleted`: stored, inactive.
        assert_eq!(
            count(
                &mut conn,
                "SELECT COUNT(*) FROM students WHERE active = TRUE"
            ),
            2
        );
        let row = conn
            .query_one(
                "SELECT birth_date, sex, race_ethnicity, school_id IS NOT NULL FROM students WHERE source_id = 'stu-1'",
                &[],
            )
            .unwrap();
        assert_eq!(row.string(0).unwrap(), "2017-04-02");
        assert_eq!(row.string(1).unwrap(), "M");
        assert_eq!(row.string(2).unwrap(), "HI7");
        assert!(row.bool(3).unwrap());
        let guardian_links = count(
            &mut conn,
            "SELECT COUNT(*) FROM links l JOIN users u ON u.id = l.user_id
             WHERE l.relation = 'guardian' AND u.role = 'parent' AND l.active = TRUE",
        );
        assert!(guardian_links >= 1);
        assert!(
            count(
                &mut conn,
                "SELECT COUNT(*) FROM links WHERE relation = 'teacher' AND active = TRUE"
            ) >= 1
        );

        // Re-import: same rows, updated in place.
        let students_before = count(&mut conn, "SELECT COUNT(*) FROM students");
        ok(&db, &["import", "oneroster", path(&roster)]);
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) FROM students"),
            students_before
        );

        // stu-2 leaves the roster: kept, inactive; its links too.
        let users = std::fs::read_to_string(roster.join("users.csv")).unwrap();
        let kept: Vec<&str> = users.lines().filter(|l| !l.contains(",stu-2,")).collect();
        std::fs::write(roster.join("users.csv"), kept.join("\n") + "\n").unwrap();
        let out = ok(&db, &["import", "oneroster", path(&roster)]);
        assert!(out["deactivated"].as_u64().unwrap() >= 1, "{out}");
        let active = conn
            .query_one(
                "SELECT active FROM students WHERE source_id = $1",
                params!["stu-2"],
            )
            .unwrap();
        assert!(!active.bool(0).unwrap());
    }
}

#[test]
fn oneroster_problems_are_exit_2_with_file_line_and_field() {
    let db = TestDb::sqlite();
    let tmp = tempfile::tempdir().unwrap();
    let roster = tmp.path().join("roster");
    copy_dir(&fixtures().join("oneroster"), &roster);
    let demographics = std::fs::read_to_string(roster.join("demographics.csv")).unwrap();
    std::fs::write(
        roster.join("demographics.csv"),
        demographics.replace("2017-04-02", "02/04/2017"),
    )
    .unwrap();
    bad(
        &db,
        &["import", "oneroster", path(&roster)],
        "demographics.csv:2: birthDate",
    );
    assert_eq!(count(&mut db.conn(), "SELECT COUNT(*) FROM students"), 0);
}

fn edfi_files() -> (String, String, String) {
    let dir = fixtures().join("edfi");
    (
        path(&dir.join("district-bundle.json")).to_string(),
        path(&dir.join("students.json")).to_string(),
        path(&dir.join("descriptor-map.json")).to_string(),
    )
}

#[test]
fn edfi_import_is_idempotent_and_unknown_descriptors_are_exit_2() {
    for db in TestDb::all() {
        let (bundle, students, map) = edfi_files();
        bad(
            &db,
            &["import", "edfi", &students, &bundle],
            "unknown descriptor",
        );
        let mut conn = db.conn();
        assert_eq!(count(&mut conn, "SELECT COUNT(*) FROM students"), 0);

        let first = ok(
            &db,
            &[
                "import",
                "edfi",
                &students,
                &bundle,
                "--descriptor-map",
                &map,
            ],
        );
        assert!(
            first["program_associations"].as_u64().unwrap() >= 2,
            "{first}"
        );
        let events = count(&mut conn, "SELECT COUNT(*) FROM events");
        assert_eq!(events, first["events_created"].as_i64().unwrap(), "{first}");
        let programs = count(&mut conn, "SELECT COUNT(*) FROM program_associations");

        let again = ok(
            &db,
            &[
                "import",
                "edfi",
                &students,
                &bundle,
                "--descriptor-map",
                &map,
            ],
        );
        assert_eq!(again["events_created"], 0, "{again}");
        assert_eq!(again["events_replayed"], first["events_created"], "{again}");
        assert_eq!(count(&mut conn, "SELECT COUNT(*) FROM events"), events);
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) FROM program_associations"),
            programs
        );
        if events > 0 {
            // Students with imported events have their obligations projected.
            assert!(
                count(
                    &mut conn,
                    "SELECT COUNT(*) FROM students WHERE obligations_as_of IS NOT NULL"
                ) > 0
            );
        }
    }
}

fn read_dir_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn export_import_export_gives_identical_files() {
    for (first, second) in TestDb::all().into_iter().map(|db| (db, TestDb::sqlite())) {
        let (bundle, students, map) = edfi_files();
        ok(
            &first,
            &[
                "import",
                "edfi",
                &students,
                &bundle,
                "--descriptor-map",
                &map,
            ],
        );
        // A student created in iep504 exports under a generated unique id.
        ok(
            &first,
            &[
                "student",
                "add",
                "--first",
                "Ada",
                "--last",
                "Lee",
                "--birth-date",
                "2015-01-02",
            ],
        );
        let tmp = tempfile::tempdir().unwrap();
        let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
        let exported = ok(&first, &["export", "edfi", "--out", path(&one)]);
        assert_eq!(exported["files"].as_array().unwrap().len(), 5);
        let files: Vec<String> = read_dir_files(&one)
            .into_iter()
            .map(|(name, _)| path(&one.join(name)).to_string())
            .collect();
        let mut args = vec!["import", "edfi"];
        args.extend(files.iter().map(String::as_str));
        ok(&second, &args);
        ok(&second, &["export", "edfi", "--out", path(&two)]);
        assert_eq!(read_dir_files(&one), read_dir_files(&two));
    }
}

#[test]
fn federal_reports_read_the_database() {
    for db in TestDb::all() {
        let (bundle, students, map) = edfi_files();
        ok(
            &db,
            &[
                "import",
                "edfi",
                &students,
                &bundle,
                "--descriptor-map",
                &map,
            ],
        );
        let count = ok(&db, &["report", "child-count", "--as-of", "2024-10-01"]);
        assert_eq!(count["as_of"], "2024-10-01");
        let total = count["ages_3_5"]["total"].as_u64().unwrap()
            + count["ages_6_21"]["total"].as_u64().unwrap();
        assert!(total >= 1, "{count}");
        let csv = run(
            &db,
            &[
                "report",
                "child-count",
                "--as-of",
                "2024-10-01",
                "--format",
                "csv",
            ],
        );
        assert_eq!(csv.code, 0, "{}", csv.stderr);
        assert!(
            csv.stdout.starts_with("file,age,disability,environment"),
            "{}",
            csv.stdout
        );

        let exiting = ok(
            &db,
            &[
                "report",
                "exiting",
                "--from",
                "2024-07-01",
                "--to",
                "2025-06-30",
            ],
        );
        assert!(exiting["by_basis"].is_object(), "{exiting}");
        let crdc = ok(
            &db,
            &[
                "report",
                "crdc-504",
                "--from",
                "2024-07-01",
                "--to",
                "2025-06-30",
            ],
        );
        assert!(crdc["total"].is_u64(), "{crdc}");
        let discipline = ok(
            &db,
            &[
                "report",
                "discipline",
                "--from",
                "2024-07-01",
                "--to",
                "2025-06-30",
            ],
        );
        assert_eq!(discipline["total"], 0, "{discipline}");
        bad(
            &db,
            &[
                "report",
                "exiting",
                "--from",
                "2025-06-30",
                "--to",
                "2024-07-01",
            ],
            "--to",
        );
    }
}

#[test]
fn edfi_client_create_prints_a_key_and_secret_stored_as_a_hash() {
    let db = TestDb::sqlite();
    let out = ok(&db, &["edfi-client", "create", "--name", "State SIS"]);
    let secret = out["secret"].as_str().unwrap();
    assert!(out["key"].as_str().is_some_and(|k| !k.is_empty()));
    let mut conn = db.conn();
    let stored = conn
        .query_one("SELECT secret_hash FROM edfi_clients", &[])
        .unwrap()
        .string(0)
        .unwrap();
    assert_ne!(stored, secret);
    bad(&db, &["edfi-client", "create", "--name", " "], "--name");
}
