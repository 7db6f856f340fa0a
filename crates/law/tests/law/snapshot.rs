//! CONTRACT.md's example case file, as of 2026-11-24, as a reviewed snapshot. Checked by hand:
//! 2026-09-08 + 60 calendar days = 2026-11-07 (22 days to 30 September, 31 in October, 7 in
//! November), nothing satisfied it, so it is overdue on 2026-11-24; the violation's filing
//! windows run from 2026-11-08: due process 2 years (2028-11-08), state complaint 1 year
//! (2027-11-08), OCR 180 days (2027-05-07).

use law::{deadlines_report, parse_case};

const CONTRACT_EXAMPLE: &str = r#"{
  "jurisdiction": "US",
  "student": { "birth_date": "2012-05-02" },
  "calendar": {
    "school_years": [
      { "first_day": "2026-08-17", "last_day": "2027-05-28",
        "closed": [ { "from": "2026-11-23", "to": "2026-11-27", "label": "Thanksgiving break" } ] }
    ]
  },
  "events": [
    { "id": "e1", "kind": "consent_received", "on": "2026-09-08", "for": "initial_evaluation" }
  ]
}"#;

#[test]
fn contract_example_report() {
    let case = parse_case(CONTRACT_EXAMPLE).unwrap();
    let report = deadlines_report(&case, "2026-11-24".parse().unwrap()).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["obligations"][0]["due"], "2026-11-07");
    assert_eq!(value["obligations"][0]["status"], "overdue");
    assert_eq!(
        value["obligations"][0]["satisfied_by"],
        serde_json::Value::Null
    );
    insta::assert_json_snapshot!("contract_example", value);
}
