//! Runs every scenario in `tests/cases/*.json`: a case file, an `as_of`, and the obligations
//! expected, each computed by hand (the `why` field shows the arithmetic). `"calendar":
//! "standard"` stands for `tests/cases/_calendar_standard.json`. With `"exact": true` the
//! engine must produce exactly the listed obligations.

use law::{Calendar, obligations, parse_case, profile};
use serde_json::Value;
use std::path::Path;

fn cases_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn key(o: &Value) -> String {
    format!(
        "{} by {} due {} {} (satisfied by {})",
        o["kind"].as_str().unwrap_or("?"),
        o["triggered_by"].as_str().unwrap_or("-"),
        o["due"].as_str().unwrap_or("?"),
        o["status"].as_str().unwrap_or("?"),
        o["satisfied_by"].as_str().unwrap_or("-"),
    )
}

#[test]
fn hand_computed_cases() {
    let standard: Value = serde_json::from_str(
        &std::fs::read_to_string(cases_dir().join("_calendar_standard.json")).unwrap(),
    )
    .unwrap();
    let mut files: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.file_name().unwrap().to_string_lossy().starts_with('_')
        })
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let scenarios: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for s in scenarios {
            count += 1;
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                s["name"]
            );
            let mut case_json = s["case"].clone();
            if case_json["calendar"] == "standard" {
                case_json["calendar"] = standard.clone();
            }
            let case = match parse_case(&case_json.to_string()) {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{name}: case does not parse: {e}"));
                    continue;
                }
            };
            let as_of: jiff::civil::Date = s["as_of"].as_str().unwrap().parse().unwrap();
            let p = profile(&case.jurisdiction).unwrap();
            let got = obligations(&case, p, &Calendar::new(&case.calendar), as_of);
            let got: Vec<Value> = got
                .iter()
                .map(|o| serde_json::to_value(o).unwrap())
                .collect();
            let got_keys: Vec<String> = got.iter().map(key).collect();
            let expected = s["expect"].as_array().unwrap();
            for e in expected {
                let k = key(e);
                let Some(found) = got.iter().find(|g| key(g) == k) else {
                    failures.push(format!("{name}: expected {k}\n    got {got_keys:#?}"));
                    continue;
                };
                if let Some(sec) = e.get("secondary_source") {
                    let actual = found
                        .get("secondary_source")
                        .cloned()
                        .unwrap_or(Value::Bool(false));
                    if &actual != sec {
                        failures.push(format!(
                            "{name}: {k}: secondary_source {actual}, expected {sec}"
                        ));
                    }
                }
                if found["citation"].as_str().is_none_or(str::is_empty) {
                    failures.push(format!("{name}: {k}: no citation"));
                }
            }
            if s["exact"] == true && got.len() != expected.len() {
                failures.push(format!(
                    "{name}: expected exactly {} obligations, got {got_keys:#?}",
                    expected.len()
                ));
            }
        }
    }
    assert!(count >= 30, "only {count} scenarios found");
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
