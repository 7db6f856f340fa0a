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

/// The obligations and filing windows of a parent's case written in Spanish, as a reviewed
/// snapshot: a federal case (consent, eligibility, an IEP developed late, the yearly and
/// three-yearly clocks, the safeguards notice) and a Texas case whose 45 school days skip
/// closures, a summer and are extended by absences. The dates are those of the English
/// explanation; only the words change.
#[test]
fn spanish_obligation_list() {
    use law::explain::{date, obligation_name};
    use law::{Calendar, Detail, Lang, filing_windows_in, obligations_with, profile};
    use std::fmt::Write;

    let calendar = r#"{ "school_years": [
      { "first_day": "2026-08-17", "last_day": "2027-05-28",
        "closed": [ { "from": "2026-11-23", "to": "2026-11-27", "label": "Thanksgiving break" },
                    { "from": "2026-12-21", "to": "2027-01-01", "label": "Winter break" },
                    { "from": "2027-05-10", "to": "2027-05-10", "label": "" } ] },
      { "first_day": "2027-08-16", "last_day": "2028-05-26", "closed": [] } ] }"#;
    let federal = parse_case(&format!(
        r#"{{ "jurisdiction": "US", "student": {{ "birth_date": "2012-05-02" }}, "calendar": {calendar},
        "events": [
          {{ "id": "s1", "kind": "procedural_safeguards_provided", "on": "2026-09-08", "reason": "referral" }},
          {{ "id": "c1", "kind": "consent_received", "on": "2026-09-08", "for": "initial_evaluation" }},
          {{ "id": "d1", "kind": "eligibility_determined", "on": "2026-11-05", "evaluation": "initial", "eligible": true, "categories": ["specific_learning_disability"] }},
          {{ "id": "m1", "kind": "iep_meeting_held", "on": "2026-12-10", "purpose": "initial" }},
          {{ "id": "p1", "kind": "prior_written_notice_sent", "on": "2027-01-11", "action": "refuse", "subject": "placement" }}
        ] }}"#
    ))
    .unwrap();
    let texas = parse_case(&format!(
        r#"{{ "jurisdiction": "US-TX", "student": {{ "birth_date": "2016-03-14" }}, "calendar": {calendar},
        "events": [
          {{ "id": "c1", "kind": "consent_received", "on": "2027-04-20", "for": "initial_evaluation" }},
          {{ "id": "a1", "kind": "absences_recorded", "on": "2027-05-03", "school_days": 3 }}
        ] }}"#
    ))
    .unwrap();
    let mut out = String::new();
    for (case, as_of) in [(&federal, "2027-02-01"), (&texas, "2027-10-01")] {
        let as_of = as_of.parse().unwrap();
        let profile = profile(&case.jurisdiction).unwrap();
        let cal = Calendar::new(&case.calendar);
        writeln!(out, "## {} al {}", case.jurisdiction, date(as_of, Lang::Es)).unwrap();
        let es = obligations_with(case, profile, &cal, as_of, Detail::In(Lang::Es));
        let en = obligations_with(case, profile, &cal, as_of, Detail::Full);
        for (o, english) in es.iter().zip(&en) {
            assert_eq!(
                (&o.kind, o.due, o.status),
                (&english.kind, english.due, english.status)
            );
            assert_eq!(o.explanation.len(), english.explanation.len());
            writeln!(
                out,
                "{} — vence el {} — {}",
                obligation_name(&o.kind, Lang::Es),
                date(o.due, Lang::Es),
                o.status.as_str()
            )
            .unwrap();
            for line in &o.explanation {
                writeln!(out, "  - {line}").unwrap();
            }
        }
        for w in filing_windows_in(case, profile, &cal, as_of, Lang::Es) {
            writeln!(
                out,
                "{}: último día {} — {}",
                obligation_name(&w.kind, Lang::Es),
                date(w.last_day, Lang::Es),
                w.violation.describe(Lang::Es)
            )
            .unwrap();
            for line in &w.explanation {
                writeln!(out, "  - {line}").unwrap();
            }
        }
    }
    insta::assert_snapshot!("spanish_obligation_list", out);
}
