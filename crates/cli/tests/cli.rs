//! The built `iep504` binary, run as a user would: each command's happy path, exit code 2 with
//! a message naming the field for bad input, exit 1 for an unreachable database, `gen`
//! determinism and proportions, backup/restore, and `demo`/`serve` answering /healthz.

use domain::evaluation::NoticeKind;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use store::{Conn, Location};

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Output {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

fn command(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep504"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("IEP504_DB")
        .arg("--db")
        .arg(db)
        .args(args);
    cmd
}

fn run_with(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start iep504");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(db: &Path, args: &[&str]) -> Output {
    run_with(command(db, args), "")
}

fn ok(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.json()
}

fn bad(db: &Path, args: &[&str], stdin: &str, names: &str) {
    let out = run_with(command(db, args), stdin);
    assert_eq!(out.code, 2, "{args:?} should be bad input: {}", out.stderr);
    assert!(
        out.stderr.contains(names),
        "{args:?}: message should name `{names}`: {}",
        out.stderr
    );
}

struct Dir {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().to_owned();
    Dir { _tmp: tmp, path }
}

#[test]
fn migrate_student_user_link_and_token() {
    let d = dir();
    let db = d.path.join("t.sqlite");
    let migrated = ok(&db, &["migrate"]);
    assert_eq!(migrated["version"], store::migrate::latest_version());
    assert_eq!(ok(&db, &["migrate"])["applied"], serde_json::json!([]));

    let student = ok(
        &db,
        &[
            "student",
            "add",
            "--first",
            "Leo",
            "--last",
            "Rivera",
            "--birth-date",
            "2017-04-02",
            "--jurisdiction",
            "US-TX",
        ],
    );
    let id = student["id"].as_i64().unwrap();
    let id_text = id.to_string();
    bad(
        &db,
        &[
            "student",
            "add",
            "--first",
            "A",
            "--last",
            "B",
            "--birth-date",
            "2017-13-40",
        ],
        "",
        "--birth-date",
    );
    bad(
        &db,
        &[
            "student",
            "add",
            "--first",
            "A",
            "--last",
            "B",
            "--birth-date",
            "2017-01-01",
            "--jurisdiction",
            "Texas",
        ],
        "",
        "--jurisdiction",
    );

    let add_parent = command(
        &db,
        &[
            "user",
            "add",
            "--username",
            "ana",
            "--role",
            "parent",
            "--name",
            "Ana Rivera",
            "--password-stdin",
        ],
    );
    let out = run_with(add_parent, "a long enough passphrase\n");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["username"], "ana");
    bad(
        &db,
        &[
            "user",
            "add",
            "--username",
            "bo",
            "--role",
            "parent",
            "--password-stdin",
        ],
        "short\n",
        "password",
    );
    bad(
        &db,
        &["user", "add", "--username", "cy", "--role", "wizard"],
        "",
        "--role",
    );
    bad(
        &db,
        &["user", "add", "--username", "ana", "--role", "parent"],
        "",
        "--username",
    );

    let linked = ok(
        &db,
        &[
            "user",
            "link",
            "--username",
            "ana",
            "--student",
            &id_text,
            "--as",
            "guardian",
        ],
    );
    assert_eq!(linked["relation"], "guardian");
    bad(
        &db,
        &[
            "user",
            "link",
            "--username",
            "ana",
            "--student",
            &id_text,
            "--as",
            "aunt",
        ],
        "",
        "--as",
    );
    bad(
        &db,
        &[
            "user",
            "link",
            "--username",
            "ana",
            "--student",
            "999999",
            "--as",
            "guardian",
        ],
        "",
        "--student",
    );
    bad(
        &db,
        &[
            "user",
            "link",
            "--username",
            "ana",
            "--student",
            &id_text,
            "--as",
            "teacher",
        ],
        "",
        "--as",
    );
    bad(
        &db,
        &[
            "user",
            "link",
            "--username",
            "nobody",
            "--student",
            &id_text,
            "--as",
            "guardian",
        ],
        "",
        "--username",
    );

    let token = ok(
        &db,
        &["token", "create", "--username", "ana", "--days", "7"],
    );
    let token = token["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    let user = store::users::user_for_token(&mut conn, &token)
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "ana");
    assert_eq!(
        store::students::linked_students(&mut conn, user.id).unwrap()[0].jurisdiction,
        "US-TX"
    );
    bad(
        &db,
        &["token", "create", "--username", "nobody"],
        "",
        "--username",
    );
}

#[test]
fn unreachable_database_is_exit_1_and_bad_url_exit_2() {
    let out = run_with(
        {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep504"));
            cmd.env_remove("DATABASE_URL").args([
                "--database-url",
                "postgres://nobody@127.0.0.1:1/none?connect_timeout=2",
                "migrate",
            ]);
            cmd
        },
        "",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("PostgreSQL"), "{}", out.stderr);
    let d = dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep504"));
    cmd.current_dir(&d.path)
        .args(["--database-url", "mysql://x", "migrate"]);
    let out = run_with(cmd, "");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--database-url"), "{}", out.stderr);
}

fn gen_bodies(db: &Path, seed: &str, students: &str) -> (Value, Vec<String>) {
    let summary = ok(
        db,
        &[
            "gen",
            "--students",
            students,
            "--seed",
            seed,
            "--anchor",
            "2026-11-02",
        ],
    );
    let mut conn = Conn::open(&Location::Sqlite(db.to_owned())).unwrap();
    let bodies = conn
        .query("SELECT body FROM events ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.string(0).unwrap())
        .collect();
    (summary, bodies)
}

#[test]
fn gen_is_deterministic_for_a_seed_and_anchor() {
    let d = dir();
    let (a, bodies_a) = gen_bodies(&d.path.join("a.sqlite"), "11", "400");
    let (b, bodies_b) = gen_bodies(&d.path.join("b.sqlite"), "11", "400");
    let (_, bodies_c) = gen_bodies(&d.path.join("c.sqlite"), "12", "400");
    assert_eq!(a, b);
    assert_eq!(bodies_a, bodies_b);
    assert_ne!(bodies_a, bodies_c);
    bad(
        &d.path.join("a.sqlite"),
        &["gen", "--students", "0"],
        "",
        "--students",
    );
    bad(
        &d.path.join("a.sqlite"),
        &["gen", "--students", "5", "--anchor", "soon"],
        "",
        "--anchor",
    );
}

fn share(counts: &[(String, i64)], key: &str) -> f64 {
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let n = counts.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n);
    n as f64 / total as f64
}

fn counts(conn: &mut Conn, sql: &str) -> Vec<(String, i64)> {
    conn.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| (r.string(0).unwrap(), r.int(1).unwrap()))
        .collect()
}

#[test]
fn gen_follows_national_proportions() {
    let d = dir();
    let db = d.path.join("p.sqlite");
    let summary = ok(
        &db,
        &[
            "gen",
            "--students",
            "6000",
            "--seed",
            "2",
            "--anchor",
            "2026-11-02",
        ],
    );
    assert_eq!(summary["students"], 6000);
    let mut conn = Conn::open(&Location::Sqlite(db)).unwrap();
    let disabilities = counts(
        &mut conn,
        "SELECT primary_disability, COUNT(*) FROM program_associations
         WHERE program = 'idea' GROUP BY 1",
    );
    for (code, expected, tolerance) in [
        ("SLD", 0.34, 0.04),
        ("SLI", 0.195, 0.035),
        ("OHI", 0.144, 0.03),
        ("AUT", 0.101, 0.025),
        ("DD", 0.065, 0.02),
        ("ID", 0.063, 0.02),
        ("EMN", 0.049, 0.02),
    ] {
        let got = share(&disabilities, code);
        assert!(
            (got - expected).abs() <= tolerance,
            "{code}: {got:.3} vs {expected} ({disabilities:?})"
        );
    }
    let environments = counts(
        &mut conn,
        "SELECT environment, COUNT(*) FROM program_associations
         WHERE program = 'idea' AND environment IN ('RC80', 'RC79TO40', 'RC39') GROUP BY 1",
    );
    // National ratio 3,893,764 : 1,109,687 : 815,092.
    assert!(
        (share(&environments, "RC80") - 0.669).abs() < 0.04,
        "{environments:?}"
    );
    assert!(
        (share(&environments, "RC39") - 0.14).abs() < 0.03,
        "{environments:?}"
    );
    // Developmental delay only from 3 to 9.
    let old_dd = conn
        .query_one(
            "SELECT COUNT(*) FROM program_associations p JOIN students s ON s.id = p.student_id
             WHERE p.primary_disability = 'DD' AND s.birth_date < '2016-11-02'",
            &[],
        )
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(old_dd, 0);
    let programs = counts(
        &mut conn,
        "SELECT program, COUNT(*) FROM program_associations WHERE end_date IS NULL GROUP BY 1",
    );
    let plan504 = share(&programs, "section504");
    assert!((0.12..0.26).contains(&plan504), "504 share {plan504}");
    // Every stage of a case is present.
    let kinds = counts(&mut conn, "SELECT kind, COUNT(*) FROM events GROUP BY 1");
    for kind in [
        "evaluation_requested",
        "consent_received",
        "consent_refused",
        "eligibility_determined",
        "iep_meeting_held",
        "reevaluation_waived",
        "records_requested",
        "disciplinary_removal",
        "manifestation_determination_held",
        "rti_started",
        "plan504_meeting_held",
        "exited",
        "transferred_in",
        "part_c_referral_received",
    ] {
        assert!(kinds.iter().any(|(k, _)| k == kind), "no {kind}: {kinds:?}");
    }
}

#[test]
fn backup_and_restore_through_the_cli() {
    let d = dir();
    let source = d.path.join("source.sqlite");
    ok(
        &source,
        &["gen", "--students", "80", "--anchor", "2026-11-02"],
    );
    let file = d.path.join("backup.sqlite");
    let file_text = file.to_str().unwrap();
    let written = ok(&source, &["backup", "--out", file_text]);
    assert!(written["rows"].as_u64().unwrap() > 80);
    bad(&source, &["backup", "--out", file_text], "", "--out");
    let target = d.path.join("target.sqlite");
    let restored = ok(&target, &["restore", file_text]);
    assert_eq!(restored["rows"], written["rows"]);
    bad(&target, &["restore", file_text], "", "not empty");
    bad(
        &target,
        &["restore", d.path.join("missing").to_str().unwrap()],
        "",
        "missing",
    );
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// Reads the child's stdout up to the end of its pretty-printed JSON object.
fn read_json(child: &mut Child) -> Value {
    let stdout = child.stdout.as_mut().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut text = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("iep504 ended before printing its JSON: {text}");
        }
        text.push_str(&line);
        if line == "}\n" {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

fn healthz(addr: &str) -> String {
    for _ in 0..100 {
        if let Ok(mut stream) = std::net::TcpStream::connect(addr) {
            stream
                .write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
                .unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            return answer;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("nothing listens on {addr}");
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn demo_prints_a_login_per_role_and_serves() {
    let d = dir();
    let db = d.path.join("demo.sqlite");
    let addr = free_addr();
    let mut child = command(&db, &["demo", "--addr", &addr, "--students", "40"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = read_json(&mut child);
    let answer = healthz(&addr);
    stop(child);
    assert!(
        answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"),
        "{answer}"
    );
    let roles: Vec<&str> = printed["logins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "district_admin",
            "compliance_viewer",
            "case_manager",
            "evaluator",
            "coordinator_504",
            "teacher",
            "provider",
            "parent",
            "student"
        ]
    );
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    let student = store::users::find_by_username(&mut conn, "student")
        .unwrap()
        .unwrap();
    let hash = student.password_hash.unwrap();
    assert!(web::auth::verify_password(
        printed["password"].as_str().unwrap(),
        &hash
    ));
    let parent = store::users::find_by_username(&mut conn, "parent")
        .unwrap()
        .unwrap();
    let children = store::students::linked_students(&mut conn, parent.id).unwrap();
    assert_eq!(children.len(), 1);
    assert!(
        !store::programs::list_for_student(&mut conn, children[0].id)
            .unwrap()
            .is_empty()
    );
    drop(conn);

    // Run again: the database is reused, not generated twice.
    let addr = free_addr();
    let mut child = command(&db, &["demo", "--addr", &addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let again = read_json(&mut child);
    stop(child);
    assert_eq!(again["logins"], printed["logins"]);
    let mut conn = Conn::open(&Location::Sqlite(db)).unwrap();
    assert_eq!(store::students::count_students(&mut conn).unwrap(), 40);
}

#[test]
fn demo_parent_is_one_family_and_serve_answers() {
    let d = dir();
    let db = d.path.join("family.sqlite");
    let addr = free_addr();
    let mut child = command(&db, &["demo", "--parent", "--addr", &addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = read_json(&mut child);
    stop(child);
    let logins = printed["logins"].as_array().unwrap();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0]["role"], "parent");

    let addr = free_addr();
    let child = command(&db, &["serve", "--addr", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let answer = healthz(&addr);
    stop(child);
    assert!(answer.contains("200"), "{answer}");

    // Parent-only mode, with the toolkit's records filled for each child.
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    let districts = store::districts::list_districts(&mut conn).unwrap();
    assert_eq!(districts.len(), 1);
    assert!(store::districts::is_parent_only(&mut conn, districts[0].id).unwrap());
    let children = store::students::district_students(&mut conn, districts[0].id, 10, 0).unwrap();
    for child in children {
        assert_eq!(store::vault::list(&mut conn, child.id).unwrap().len(), 2);
        assert!(
            !store::communications::list(&mut conn, child.id)
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn gen_and_backup_on_postgres() {
    let Some(pg) = store::testing::TestDb::postgres() else {
        return;
    };
    let Location::Postgres(url) = &pg.location else {
        unreachable!("TestDb::postgres is PostgreSQL");
    };
    let d = dir();
    let pg_cmd = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep504"));
        cmd.env_remove("IEP504_DB")
            .env("DATABASE_URL", url)
            .current_dir(&d.path)
            .args(args);
        run_with(cmd, "")
    };
    let out = pg_cmd(&["gen", "--students", "150", "--anchor", "2026-11-02"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["students"], 150);
    let file = d.path.join("pg.sqlite");
    let out = pg_cmd(&["backup", "--out", file.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let restored = ok(
        &d.path.join("copy.sqlite"),
        &["restore", file.to_str().unwrap()],
    );
    assert_eq!(restored["rows"], out.json()["rows"]);
}

/// `print pwn` writes the student's latest notice as a PDF in English and Spanish (text checked
/// where pdftotext is installed): a prior written notice, or the notice of a Section 504 decision
/// when that is what the notice answers; logs the read, and names `--student` when there is none.
#[test]
fn print_pwn_writes_the_latest_notice_in_both_languages() {
    let d = dir();
    let db = d.path.join("pwn.db");
    let summary = ok(
        &db,
        &[
            "gen",
            "--students",
            "60",
            "--seed",
            "3",
            "--anchor",
            "2026-11-02",
        ],
    );
    assert!(summary["students"].as_u64() == Some(60));
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    // The first student whose latest notice (the one `print pwn` prints) is of `kind`.
    let mut latest_of_kind = |kind: NoticeKind| -> i64 {
        let students = conn
            .query(
                "SELECT DISTINCT student_id FROM prior_written_notices WHERE sent_on IS NOT NULL
                 ORDER BY student_id",
                &[],
            )
            .unwrap();
        students
            .iter()
            .map(|row| row.int(0).unwrap())
            .find(|&id| {
                store::evaluations::latest_notice(&mut conn, id)
                    .unwrap()
                    .is_some_and(|n| n.kind == kind)
            })
            .unwrap_or_else(|| panic!("gen wrote no {kind} notice"))
    };
    let with = latest_of_kind(NoticeKind::PriorWrittenNotice);
    let with_504 = latest_of_kind(NoticeKind::Section504);
    let without = conn
        .query(
            "SELECT id FROM students WHERE id NOT IN (SELECT student_id FROM prior_written_notices)
             ORDER BY id LIMIT 1",
            &[],
        )
        .unwrap()[0]
        .int(0)
        .unwrap();
    let id = with.to_string();
    for (lang, words) in [
        ("en", ["Prior written notice", "34 CFR 300.503(b)(7)"]),
        (
            "es",
            [
                "Notificación previa por escrito",
                "Sus garantías procesales",
            ],
        ),
    ] {
        let out = d.path.join(format!("pwn-{lang}.pdf"));
        let o = run(
            &db,
            &[
                "print",
                "pwn",
                "--student",
                &id,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        let pdf = std::fs::read(&out).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(text) = Command::new("pdftotext").arg(&out).arg("-").output() {
            let text = String::from_utf8_lossy(&text.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for word in words {
                assert!(text.contains(word), "{lang}: `{word}` not in {text}");
            }
        }
    }
    // A student whose latest notice answers a Section 504 decision gets the 504 notice.
    for (lang, words) in [
        ("en", ["Notice of Section 504 decision", "34 CFR 104.35(c)"]),
        (
            "es",
            [
                "Notificación de decisión de la Sección 504",
                "Sus garantías procesales según la Sección 504",
            ],
        ),
    ] {
        let out = d.path.join(format!("notice504-{lang}.pdf"));
        let o = run(
            &db,
            &[
                "print",
                "pwn",
                "--student",
                &with_504.to_string(),
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        if let Some(text) = pdf_text(&out) {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for word in words {
                assert!(text.contains(word), "{lang}: `{word}` not in {text}");
            }
            assert!(!text.contains("300.503"), "{lang}: an IDEA rule in {text}");
        }
    }
    let logged = conn
        .query(
            "SELECT COUNT(*) FROM access_log WHERE action = 'print_pwn' AND student_id = $1",
            store::params![with],
        )
        .unwrap()[0]
        .int(0)
        .unwrap();
    assert_eq!(logged, 2);
    let out = d.path.join("none.pdf");
    bad(
        &db,
        &[
            "print",
            "pwn",
            "--student",
            &without.to_string(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
        "--student",
    );
    bad(
        &db,
        &[
            "print",
            "pwn",
            "--student",
            "999999",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
        "--student",
    );
}

fn pdf_text(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[test]
fn print_plans_and_remind_teachers_from_a_generated_district() {
    let d = dir();
    let db = d.path.join("plans.sqlite");
    ok(&db, &["gen", "--students", "200", "--anchor", "2026-11-02"]);
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    let first = |conn: &mut Conn, sql: &str| -> Option<i64> {
        conn.query_opt(sql, &[]).unwrap().map(|r| r.int(0).unwrap())
    };
    let finalized = first(
        &mut conn,
        "SELECT student_id FROM plans WHERE kind = 'iep' AND status = 'finalized' ORDER BY id",
    )
    .expect("the generator finalizes IEPs");
    let drafted = first(
        &mut conn,
        "SELECT p.student_id FROM plans p WHERE p.kind = 'iep' AND p.status IN ('draft', 'shared')
           AND NOT EXISTS (SELECT 1 FROM plans q WHERE q.student_id = p.student_id
                           AND q.kind = 'iep' AND q.status = 'finalized') ORDER BY p.id",
    )
    .expect("the generator leaves IEP drafts");
    let without = first(
        &mut conn,
        "SELECT s.id FROM students s WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.student_id = s.id) ORDER BY s.id",
    )
    .unwrap();
    for (student, lang, needle, draft) in [
        (finalized, "en", "Measurable annual goals", false),
        (finalized, "es", "Metas anuales medibles", false),
        (drafted, "en", "DRAFT", true),
    ] {
        let out = d.path.join(format!("iep-{student}-{lang}.pdf"));
        let s = student.to_string();
        let printed = run(
            &db,
            &[
                "print",
                "iep",
                "--student",
                &s,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&out) {
            assert!(text.contains(needle), "{lang}: no `{needle}`: {text}");
            assert_eq!(text.contains("DRAFT"), draft, "{text}");
        }
    }
    let logged = first(
        &mut conn,
        "SELECT COUNT(*) FROM access_log WHERE action = 'print_plan'",
    );
    assert_eq!(logged, Some(3));
    let out = d.path.join("none.pdf");
    bad(
        &db,
        &[
            "print",
            "plan504",
            "--student",
            &without.to_string(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
        "--student",
    );
    bad(
        &db,
        &[
            "print",
            "iep",
            "--student",
            "999999",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
        "--student",
    );

    let open = first(
        &mut conn,
        "SELECT COUNT(*) FROM accommodation_deliveries d JOIN plans p ON p.id = d.plan_id
         WHERE d.acknowledged_at IS NULL AND p.status = 'finalized'",
    )
    .unwrap();
    assert!(
        open > 0,
        "the generator leaves unacknowledged accommodations"
    );
    let before = first(&mut conn, "SELECT COUNT(*) FROM accommodation_reminders").unwrap();
    let reminded = ok(&db, &["accommodations", "remind"]);
    assert_eq!(reminded["reminded"], open);
    let after = first(&mut conn, "SELECT COUNT(*) FROM accommodation_reminders").unwrap();
    assert_eq!(after - before, open);
    bad(
        &db,
        &["accommodations", "remind", "--district", "999"],
        "",
        "--district",
    );
}

#[test]
fn print_progress_report_covers_every_goal_in_both_languages() {
    let d = dir();
    let db = d.path.join("progress.sqlite");
    ok(&db, &["gen", "--students", "120", "--anchor", "2026-11-02"]);
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    let row = conn
        .query_one(
            "SELECT g.student_id, g.description FROM goals g
             WHERE EXISTS (SELECT 1 FROM goal_points p WHERE p.goal_id = g.id)
             ORDER BY g.student_id LIMIT 1",
            &[],
        )
        .unwrap();
    let (student, description) = (row.int(0).unwrap(), row.string(1).unwrap());
    let s = student.to_string();
    for (lang, title) in [("en", "Progress report"), ("es", "Informe de progreso")] {
        let out = d.path.join(format!("progress-{lang}.pdf"));
        let printed = run(
            &db,
            &[
                "print",
                "progress-report",
                "--student",
                &s,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&out) {
            assert!(text.contains(title), "{lang}: {text}");
            let words: String = description
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&words), "{lang}: no `{words}` in {text}");
        }
    }
    let logged = conn
        .query_one(
            "SELECT COUNT(*) FROM access_log WHERE action = 'print_progress_report' AND student_id = $1",
            store::params![student],
        )
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(logged, 2);
    bad(
        &db,
        &[
            "print",
            "progress-report",
            "--student",
            "999999",
            "--out",
            "x.pdf",
        ],
        "",
        "--student",
    );
}

#[test]
fn progress_reports_are_issued_once_each_on_the_iep_schedule() {
    let d = dir();
    let db = d.path.join("reports.sqlite");
    ok(&db, &["gen", "--students", "200", "--anchor", "2026-11-02"]);
    let count = |db: &Path, sql: &str| -> i64 {
        let mut conn = Conn::open(&Location::Sqlite(db.to_owned())).unwrap();
        conn.query_one(sql, &[]).unwrap().int(0).unwrap()
    };
    // `gen` issues the first few itself, so the demo has some to show.
    let at_gen = count(&db, "SELECT COUNT(*) FROM progress_reports");
    assert_eq!(at_gen, 12);
    let run1 = ok(&db, &["progress-reports", "issue", "--as-of", "2026-11-02"]);
    let due = run1["due"].as_i64().unwrap();
    assert!(due > 0, "{run1}");
    assert_eq!(run1["issued"], due, "{run1}");
    assert_eq!(
        (run1["already_issued"].as_i64(), run1["left"].as_i64()),
        (Some(0), Some(0))
    );
    let by_lang: i64 = run1["languages"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(by_lang, due);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM progress_reports"),
        at_gen + due
    );
    // Nothing is issued twice, and nothing is dated after the day it was issued for.
    let run2 = ok(&db, &["progress-reports", "issue", "--as-of", "2026-11-02"]);
    assert_eq!(
        (run2["due"].as_i64(), run2["issued"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM progress_reports WHERE reported_on > '2026-11-02'"
        ),
        0
    );
    // Every stored report is a PDF whose hash and size are the stored ones.
    let mut conn = Conn::open(&Location::Sqlite(db.clone())).unwrap();
    for row in conn
        .query(
            "SELECT content, sha256, size_bytes, lang FROM progress_reports",
            &[],
        )
        .unwrap()
    {
        let bytes = row.bytes(0).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(store::vault::sha256_hex(bytes), row.string(1).unwrap());
        assert_eq!(bytes.len() as i64, row.int(2).unwrap());
        assert!(["en", "es"].contains(&row.text(3).unwrap()));
    }
    // A later day issues the reports that have come due since.
    let later = ok(
        &db,
        &[
            "progress-reports",
            "issue",
            "--as-of",
            "2027-01-15",
            "--limit",
            "3",
        ],
    );
    assert_eq!(later["issued"], 3, "{later}");
    assert_eq!(
        later["left"].as_i64(),
        Some(later["due"].as_i64().unwrap() - 3)
    );
    bad(
        &db,
        &["progress-reports", "issue", "--as-of", "soon"],
        "",
        "--as-of",
    );
    bad(
        &db,
        &["progress-reports", "issue", "--district", "999"],
        "",
        "--district",
    );
}
