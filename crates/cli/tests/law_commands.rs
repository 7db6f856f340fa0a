//! The law engine's and the parent toolkit's commands, run through the built binary: output
//! shapes (snapshots), exit codes and error messages that name the file and the JSON path.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn iep504(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iep504"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("IEP504_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iep504");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(args: &[&str]) -> Value {
    let out = iep504(args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

/// Exit 2 and a message that names `file` and `names` (a JSON path or field).
fn bad_input(args: &[&str], file: &str, names: &str) {
    let out = iep504(args, "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(file) && stderr.contains(names),
        "{args:?}: {stderr}"
    );
}

#[test]
fn deadlines_prints_the_contract_example() {
    let case = fixture("contract_case.json");
    let report = ok(&[
        "deadlines",
        "--case",
        case.to_str().unwrap(),
        "--as-of",
        "2026-11-24",
    ]);
    insta::assert_json_snapshot!("deadlines_contract_example", report);
}

#[test]
fn deadlines_names_the_path_of_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("contract_case.json")).unwrap();
    let cases = [
        ("2026-09-08", "2026-02-30", "events[0].on"),
        ("consent_received", "consent_recieved", "consent_received"),
        ("\"US\"", "\"US-ZZ\"", "jurisdiction"),
        ("\"2012-05-02\"", "12", "student.birth_date"),
        ("\"2027-05-28\"", "\"2026-01-01\"", "last_day"),
    ];
    for (from, to, names) in cases {
        let path = dir.path().join("case.json");
        std::fs::write(&path, original.replacen(from, to, 1)).unwrap();
        bad_input(
            &["deadlines", "--case", path.to_str().unwrap()],
            "case.json",
            names,
        );
    }
    bad_input(
        &["deadlines", "--case", "/nonexistent/case.json"],
        "/nonexistent/case.json",
        "cannot read",
    );
    let out = iep504(
        &[
            "deadlines",
            "--case",
            fixture("contract_case.json").to_str().unwrap(),
            "--as-of",
            "tomorrow",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn advise_recommends_an_evaluation_and_warns_about_rti() {
    let advice = ok(&[
        "advise",
        "--answers",
        fixture("answers.json").to_str().unwrap(),
    ]);
    assert_eq!(advice["recommendation"], "request_iep_evaluation");
    let warnings: Vec<&str> = advice["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert!(
        warnings.contains(&"rti_cannot_delay_evaluation"),
        "{warnings:?}"
    );
    assert!(warnings.contains(&"put_request_in_writing"), "{warnings:?}");
    for reason in advice["reasons"].as_array().unwrap() {
        assert!(!reason["citation"].as_str().unwrap().is_empty());
    }
}

#[test]
fn redflags_reads_stdin_and_quotes_exact_bytes() {
    let text = "Thanks for meeting. Let's wait and see how he does after winter break. We will not wait and see on the reading plan.";
    let out = iep504(&["redflags"], text);
    assert!(out.status.success());
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["category"], "wait_and_see");
    let (start, end) = (
        findings[0]["start"].as_u64().unwrap() as usize,
        findings[0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], findings[0]["quote"].as_str().unwrap());
}

#[test]
fn progress_flags_a_flat_trend() {
    let report = ok(&["progress", "--goal", fixture("goal.json").to_str().unwrap()]);
    // Aim: 60 points over 38 weeks ≈ 1.579/week; the data rise ≈ 0.6/week, all below the aim.
    assert_eq!(report["aim_slope_per_week"], 1.579);
    assert_eq!(report["decision"], "change_intervention");
    assert_eq!(report["rule"], "four_point");
}

#[test]
fn ledger_counts_what_the_school_owes() {
    let report = ok(&[
        "ledger",
        "--services",
        fixture("services.json").to_str().unwrap(),
        "--as-of",
        "2026-12-06",
    ]);
    let speech = &report["services"][0];
    // Weeks from 2 Nov: 60 delivered; 30 delivered (+30 provider absent: owed 30);
    // 60 student absent (owed 0); Thanksgiving week has no school days (mandate 0);
    // week of 30 Nov: nothing delivered, owed 60. The 1 Dec make-up repays 20 of the oldest.
    assert_eq!(speech["owed"], 90);
    assert_eq!(speech["made_up"], 20);
    assert_eq!(speech["balance"], 70);
}

#[test]
fn sweep_report_and_audit_on_a_generated_district() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite");
    let db = db.to_str().unwrap();
    ok(&[
        "--db",
        db,
        "gen",
        "--students",
        "200",
        "--seed",
        "3",
        "--anchor",
        "2026-11-24",
    ]);
    let summary = ok(&["--db", db, "sweep", "--as-of", "2026-11-24"]);
    assert_eq!(summary["students"], 200);
    let by_status = summary["by_status"].as_object().unwrap();
    let total: u64 = by_status.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(summary["obligations"].as_u64().unwrap(), total);
    let by_kind_total: u64 = summary["by_kind"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|statuses| {
            statuses
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_u64().unwrap())
        })
        .sum();
    assert_eq!(by_kind_total, total);

    let report = ok(&[
        "--db",
        db,
        "report",
        "indicator11",
        "--from",
        "2024-07-01",
        "--to",
        "2026-06-30",
        "--as-of",
        "2026-11-24",
    ]);
    let counted = report["counted"].as_u64().unwrap();
    assert_eq!(
        counted,
        report["timely"].as_u64().unwrap()
            + report["late"].as_u64().unwrap()
            + report["overdue"].as_u64().unwrap()
    );
    assert_eq!(
        report["late_cases"].as_array().unwrap().len() as u64,
        report["late"].as_u64().unwrap() + report["overdue"].as_u64().unwrap()
    );

    assert_eq!(ok(&["--db", db, "audit", "verify"])["status"], "intact");
}

#[test]
fn a_district_calendar_comes_from_an_ics_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite");
    let db = db.to_str().unwrap();
    let ics = fixture("closures.ics");
    let calendar = ok(&[
        "--db",
        db,
        "calendar",
        "import-ics",
        ics.to_str().unwrap(),
        "--first-day",
        "2026-08-17",
        "--last-day",
        "2027-05-28",
    ]);
    let year = &calendar["school_years"][0];
    assert_eq!(year["first_day"], "2026-08-17");
    let closed = year["closed"].as_array().unwrap();
    assert_eq!(
        closed.len(),
        2,
        "the timed board meeting is not a closure: {closed:?}"
    );
    // DTEND is exclusive: the break ends on the Friday.
    assert_eq!(closed[0]["to"], "2026-11-27");
    assert_eq!(closed[1]["label"], "Winter break");
    assert_eq!(ok(&["--db", db, "calendar", "show"]), calendar);

    let broken = dir.path().join("broken.ics");
    std::fs::write(
        &broken,
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026-11-23\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    bad_input(
        &[
            "--db",
            db,
            "calendar",
            "import-ics",
            broken.to_str().unwrap(),
            "--first-day",
            "2026-08-17",
            "--last-day",
            "2027-05-28",
        ],
        "broken.ics",
        "line 3",
    );
}
